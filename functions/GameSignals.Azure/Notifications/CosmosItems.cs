using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GameSignals.Azure.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>Point operations on JSON items with source-generated serialization, shared by the notification stores.</summary>
internal static class CosmosItems
{
    public static Container Container(CosmosClient client, IOptions<CosmosOptions> options, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        return client.GetContainer(options.Value.Database, name);
    }

    /// <summary>An item id from parts that may hold characters Cosmos ids refuse (<c>/ \ ? #</c>) or be long: a hash.</summary>
    public static string HashId(params string[] parts)
    {
        var text = string.Join('\n', parts);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The item and its ETag, or null when it does not exist.</summary>
    public static async ValueTask<(T Item, string ETag)?> ReadAsync<T>(Container container, string id, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync(response.Content, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Item {id} in {container.Id} is empty.");
        return (item, response.Headers.ETag);
    }

    /// <summary>Creates (no <paramref name="ifMatch"/>) or replaces the item with that ETag. The status: Created/OK, Conflict, PreconditionFailed or NotFound.</summary>
    public static async ValueTask<(HttpStatusCode Status, string? ETag)> WriteAsync<T>(
        Container container, string id, T item, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, string? ifMatch, bool upsert, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(item, typeInfo), writable: false);
        var options = ifMatch is null or "*" ? null : new ItemRequestOptions { IfMatchEtag = ifMatch };
        using var response = upsert ? await container.UpsertItemStreamAsync(body, partitionKey, options, cancellationToken).ConfigureAwait(false)
            : ifMatch is null ? await container.CreateItemStreamAsync(body, partitionKey, options, cancellationToken).ConfigureAwait(false)
            : await container.ReplaceItemStreamAsync(body, id, partitionKey, options, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return (response.StatusCode, null);
        }

        response.EnsureSuccessStatusCode();
        return (response.StatusCode, response.Headers.ETag);
    }
}
