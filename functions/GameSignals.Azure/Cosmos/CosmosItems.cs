using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Cosmos;

/// <summary>
/// The one way the stores do point operations, on the stream API with source-generated System.Text.Json: 404 on a
/// read is absent, 409 on a create is already there (done, for an idempotent writer), 412 or 404 on an ETag-guarded
/// replace is someone else changed it; any other failure throws, for the caller's retry.
/// </summary>
internal static class CosmosItems
{
    /// <summary>How many times a read-modify-replace is tried against concurrent writers before it gives up (the batch is then retried).</summary>
    public const int MaxAttempts = 20;

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

    /// <summary>Creates the item: its ETag, or null when an item with its id exists.</summary>
    public static ValueTask<string?> CreateAsync<T>(Container container, T item, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        CreateAsync(container, JsonSerializer.SerializeToUtf8Bytes(item, typeInfo), partitionKey, cancellationToken);

    /// <summary>Replaces the item if its ETag is still <paramref name="ifMatch"/>: the new ETag, or null when it changed or is gone.</summary>
    public static ValueTask<string?> ReplaceAsync<T>(
        Container container, string id, T item, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, string ifMatch, CancellationToken cancellationToken) =>
        ReplaceAsync(container, id, JsonSerializer.SerializeToUtf8Bytes(item, typeInfo), partitionKey, ifMatch, cancellationToken);

    /// <summary>
    /// Read-modify-replace: reads the item (null when absent), lets <paramref name="change"/> make the new one (null:
    /// leave it as it is), and creates it or replaces it guarded by the ETag read; another writer in between means
    /// read again. Returns the item as it then stands (null when absent and not created).
    /// </summary>
    /// <param name="stored">The item's stored form when it has more than <typeparamref name="T"/> (an ordering key); by default <paramref name="typeInfo"/>'s.</param>
    public static async ValueTask<T?> UpdateAsync<T>(
        Container container, string id, PartitionKey partitionKey, JsonTypeInfo<T> typeInfo, Func<T?, T?> change, CancellationToken cancellationToken,
        Func<T, byte[]>? stored = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await ReadAsync(container, id, partitionKey, typeInfo, cancellationToken).ConfigureAwait(false);
            if (change(current?.Item) is not { } changed)
            {
                return current?.Item;
            }

            var body = stored?.Invoke(changed) ?? JsonSerializer.SerializeToUtf8Bytes(changed, typeInfo);
            var written = current is { ETag: var etag }
                ? await ReplaceAsync(container, id, body, partitionKey, etag, cancellationToken).ConfigureAwait(false)
                : await CreateAsync(container, body, partitionKey, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                return changed;
            }
        }

        throw new InvalidOperationException($"Item {id} of {container.Id} kept changing under {MaxAttempts} attempts to update it; the batch will be retried.");
    }

    /// <summary>
    /// For admin writes that report which precondition failed: creates (no <paramref name="ifMatch"/>), replaces the item
    /// with that ETag, or upserts. The status: Created/OK, Conflict, PreconditionFailed or NotFound, and the new ETag.
    /// </summary>
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

    private static async ValueTask<string?> CreateAsync(Container container, byte[] item, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var body = new MemoryStream(item, writable: false);
        using var response = await container.CreateItemStreamAsync(body, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.ETag;
    }

    private static async ValueTask<string?> ReplaceAsync(Container container, string id, byte[] item, PartitionKey partitionKey, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
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

    private static ArgumentException BadToken(string parameterName, Exception? inner) => new("The continuation token is not one this store gave.", parameterName, inner);
}
