using System.Net;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// One page of a single-partition query after <paramref name="continuationToken"/> (the SDK's), and the token of the
    /// next page. A token the SDK refuses throws <see cref="ArgumentException"/> for <paramref name="parameterName"/>.
    /// </summary>
    public static async ValueTask<(List<T> Items, string? Next)> QueryPageAsync<T>(
        Container container, QueryDefinition query, PartitionKey partitionKey, int pageSize, string? continuationToken, JsonTypeInfo<T> typeInfo,
        string parameterName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var items = new List<T>();
        try
        {
            using var iterator = container.GetItemQueryStreamIterator(query, continuationToken, new QueryRequestOptions { PartitionKey = partitionKey, MaxItemCount = pageSize });
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
            {
                throw BadToken(parameterName, null);
            }

            response.EnsureSuccessStatusCode();
            await ReadDocumentsAsync(response.Content, items, typeInfo, cancellationToken).ConfigureAwait(false);
            return (items, items.Count == 0 ? null : response.ContinuationToken);
        }
        catch (Exception e) when (continuationToken is not null
            && (e is CosmosException { StatusCode: HttpStatusCode.BadRequest } or JsonException or FormatException || e.GetType() == typeof(ArgumentException)))
        {
            throw BadToken(parameterName, e);
        }
    }

    /// <summary>Every item a single-partition query returns, page after page.</summary>
    public static async IAsyncEnumerable<T> QueryAllAsync<T>(
        Container container, QueryDefinition query, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = partitionKey });
        var items = new List<T>();
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            items.Clear();
            await ReadDocumentsAsync(response.Content, items, typeInfo, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return item;
            }
        }
    }

    private static async ValueTask ReadDocumentsAsync<T>(Stream content, List<T> items, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var element in document.RootElement.GetProperty("Documents").EnumerateArray())
        {
            items.Add(element.Deserialize(typeInfo)!);
        }
    }

    private static ArgumentException BadToken(string parameterName, Exception? inner) => new("The continuation token is not one this store gave.", parameterName, inner);
}
