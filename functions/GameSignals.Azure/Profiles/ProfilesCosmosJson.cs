using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Azure.Profiles;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProfileItem))]
[JsonSerializable(typeof(ProfilePage))]
[JsonSerializable(typeof(StatisticsItem))]
internal sealed partial class ProfilesCosmosJson : JsonSerializerContext;

/// <summary>Point reads of the profiles capability's items.</summary>
internal static class ProfilesCosmosItems
{
    /// <summary>The item and its ETag, or null when there is none (404).</summary>
    public static async ValueTask<(T Item, string ETag)?> ReadAsync<T>(
        Container container, string id, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync(response.Content, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Item {partitionKey}/{id} of {container.Id} is empty.");
        return (item, response.Headers.ETag);
    }
}
