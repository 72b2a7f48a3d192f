using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameSignals.Azure.Profiles;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProfileItem))]
[JsonSerializable(typeof(ProfilePage))]
[JsonSerializable(typeof(StatisticsItem))]
internal sealed partial class ProfilesCosmosJson : JsonSerializerContext;
