using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Azure.Cosmos;
using GameSignals.IpRanges;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.IpRanges;

/// <summary>
/// The operators' blocklist in the Cosmos container <c>blocklist</c>, one item per entry, partitioned by its id.
/// Entries are validated by Core's <see cref="BlocklistRules"/> before they are written, and stored canonical.
/// </summary>
/// <remarks>
/// Reads, writes and deletes are point operations. Listing is one cross-partition query: the list is small
/// (operator-edited) and read only by the refresh and the admin API.
/// </remarks>
public sealed class CosmosBlocklistStore : IBlocklistStore
{
    public const string ContainerName = "blocklist";

    private readonly Container _container;

    public CosmosBlocklistStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    /// <summary>The container this store needs, for <see cref="CosmosSetup.EnsureResourcesAsync"/>: no TTL (expired entries stay listed).</summary>
    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/id");

    public async Task<IReadOnlyList<BlocklistEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = new List<BlocklistEntry>();
        using var iterator = _container.GetItemQueryStreamIterator("SELECT * FROM c");
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var page = await JsonSerializer.DeserializeAsync(response.Content, BlocklistJson.Default.BlocklistPage, cancellationToken).ConfigureAwait(false);
            entries.AddRange(page?.Documents.Select(item => item.ToEntry()) ?? []);
        }

        return [.. entries.OrderBy(entry => entry.Id, StringComparer.Ordinal)];
    }

    public async Task<BlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var response = await _container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync(response.Content, BlocklistJson.Default.BlocklistItem, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Blocklist item {id} is empty.");
        return item.ToEntry();
    }

    public async Task<BlocklistEntry> UpsertAsync(BlocklistEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            throw invalid;
        }

        var canonical = BlocklistRules.Canonical(entry);
        var item = new BlocklistItem(canonical.Id!, canonical.Cidr, canonical.Asn, canonical.Reason, canonical.Expires, canonical.AddedBy);
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(item, BlocklistJson.Default.BlocklistItem), writable: false);
        using var response = await _container.UpsertItemStreamAsync(body, new PartitionKey(item.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return canonical;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var response = await _container.DeleteItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }
}

/// <summary>One blocklist item as stored.</summary>
internal sealed record BlocklistItem(string Id, string? Cidr, uint? Asn, string Reason, DateTimeOffset? Expires, string? AddedBy)
{
    public BlocklistEntry ToEntry() => new(Cidr, Asn, Reason, Expires, AddedBy, Id);
}

/// <summary>A page of query results as Cosmos DB returns it.</summary>
internal sealed record BlocklistPage(IReadOnlyList<BlocklistItem> Documents);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BlocklistItem))]
[JsonSerializable(typeof(BlocklistPage))]
internal sealed partial class BlocklistJson : JsonSerializerContext;
