using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// The point operations the fraud stores share, on the stream API with System.Text.Json: 404 on read = absent,
/// 409 on create = already there, 412 (or 404) on an ETag-guarded replace = someone else changed it.
/// </summary>
internal static class FraudCosmosItems
{
    /// <summary>How many times a read-modify-replace is tried against concurrent writers before giving up (then the batch is retried).</summary>
    public const int MaxAttempts = 20;

    public static async ValueTask<(T? Value, string? ETag)> ReadAsync<T>(
        Container container, string id, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        var value = await JsonSerializer.DeserializeAsync(response.Content, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Item {id} of {container.Id} is empty.");
        return (value, response.Headers.ETag);
    }

    /// <summary>Creates the item; null when an item with its id exists, else the new ETag.</summary>
    public static async ValueTask<string?> CreateAsync(Container container, byte[] item, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(item, writable: false);
        using var response = await container.CreateItemStreamAsync(body, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.ETag;
    }

    /// <summary>Replaces the item if its ETag is still <paramref name="ifMatch"/>; null when it changed or is gone, else the new ETag.</summary>
    public static async ValueTask<string?> ReplaceAsync(
        Container container, string id, byte[] item, PartitionKey partitionKey, string ifMatch, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(item, writable: false);
        using var response = await container.ReplaceItemStreamAsync(
            body, id, partitionKey, new ItemRequestOptions { IfMatchEtag = ifMatch }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.ETag;
    }

    /// <summary>
    /// A hash of the parts as an item id: ids are limited to 255 characters and may not hold <c>/</c>, <c>\</c>,
    /// <c>?</c> or <c>#</c>, which IPv6 buckets and store order ids can.
    /// </summary>
    public static string HashId(params string[] parts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}

/// <summary>A device sighting bucket as stored: one item per (game, IP bucket), expiring when no login came for the retention.</summary>
internal sealed record DeviceSightingsItem(
    string Id, string GameId, string Bucket, DateTimeOffset Newest, List<DeviceSighting> Sightings, int Ttl);

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
