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
/// Reads, writes and deletes are point operations; an entry's version is the item's <c>_etag</c>. Listing is one cross-partition query: the list is small
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

    public async Task<StoredBlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await CosmosItems.ReadAsync(_container, id, new PartitionKey(id), BlocklistJson.Default.BlocklistItem, cancellationToken).ConfigureAwait(false) is { } found
            ? new StoredBlocklistEntry(found.Item.ToEntry(), found.ETag)
            : null;
    }

    /// <remarks>
    /// The precondition is Cosmos's own: an upsert for none, a create (409 when the id exists) for
    /// <see cref="BlocklistPrecondition.Absent"/>, a replace with the item's <c>_etag</c> as If-Match otherwise.
    /// </remarks>
    public async Task<(BlocklistWriteStatus Status, StoredBlocklistEntry? Stored)> UpsertAsync(BlocklistEntry entry, BlocklistPrecondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            throw invalid;
        }

        var canonical = BlocklistRules.Canonical(entry);
        var item = new BlocklistItem(canonical.Id!, canonical.Cidr, canonical.Asn, canonical.Reason, canonical.Expires, canonical.AddedBy);
        var (status, etag) = await CosmosItems.WriteAsync(
            _container, item.Id, item, new PartitionKey(item.Id), BlocklistJson.Default.BlocklistItem, precondition.IfMatch,
            upsert: precondition == BlocklistPrecondition.None, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.Created => (BlocklistWriteStatus.Created, new StoredBlocklistEntry(canonical, etag!)),
            HttpStatusCode.OK => (BlocklistWriteStatus.Replaced, new StoredBlocklistEntry(canonical, etag!)),
            _ => (BlocklistWriteStatus.PreconditionFailed, null), // 409 (exists), 412 (another version) or 404 (none to match)
        };
    }

    public async Task<BlocklistWriteStatus> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var options = ifMatch is null or "*" ? null : new ItemRequestOptions { IfMatchEtag = ifMatch };
        using var response = await _container.DeleteItemStreamAsync(id, new PartitionKey(id), options, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return BlocklistWriteStatus.NotFound;
            case HttpStatusCode.PreconditionFailed:
                return BlocklistWriteStatus.PreconditionFailed;
            default:
                response.EnsureSuccessStatusCode();
                return BlocklistWriteStatus.Deleted;
        }
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
