using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GameSignals.Fraud;

namespace GameSignals.Azure.Fraud;

/// <summary>A device sighting bucket as stored: one item per (game, IP bucket), expiring when no login came for the retention.</summary>
internal sealed record DeviceSightingsItem(
    string Id, string GameId, string Bucket, List<DeviceSighting> Sightings, int Ttl);

/// <summary>The uses of one store order as stored.</summary>
internal sealed record ReceiptUsesItem(string Id, string Store, string OrderId, IReadOnlyList<ReceiptUse> Uses);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FraudFlag))]
[JsonSerializable(typeof(GameFraudConfig))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(DeviceSightingsItem))]
[JsonSerializable(typeof(ReceiptUsesItem))]
[JsonSerializable(typeof(FlagQueryPage))]
[JsonSerializable(typeof(FlagStatus))]
internal sealed partial class FraudCosmosJson : JsonSerializerContext;

/// <summary>One page of a query answered by the stream API.</summary>
internal sealed record FlagQueryPage(List<FraudFlag> Documents);
