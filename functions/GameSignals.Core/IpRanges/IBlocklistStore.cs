namespace GameSignals.IpRanges;

/// <summary>
/// The operators' blocklist: entries by id, each a CIDR or an ASN with a reason, optional expiry and author.
/// The refresh folds the entries into the next range snapshot; expired entries stay listed but match nothing.
/// </summary>
public interface IBlocklistStore
{
    Task<IReadOnlyList<BlocklistEntry>> ListAsync(CancellationToken cancellationToken);

    Task<BlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds the entry or replaces the one with its id; returns it with its CIDR in canonical form.</summary>
    /// <exception cref="BlocklistValidationException">The entry breaks a rule; the exception names the field.</exception>
    Task<BlocklistEntry> UpsertAsync(BlocklistEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the entry; false when there was none with that id.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}

public sealed class InMemoryBlocklistStore : IBlocklistStore
{
    private readonly Dictionary<string, BlocklistEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<IReadOnlyList<BlocklistEntry>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<BlocklistEntry>>([.. _entries.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<BlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(id));
        }
    }

    public Task<BlocklistEntry> UpsertAsync(BlocklistEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            throw invalid;
        }

        var canonical = BlocklistRules.Canonical(entry);
        lock (_gate)
        {
            _entries[canonical.Id!] = canonical;
        }

        return Task.FromResult(canonical);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return Task.FromResult(_entries.Remove(id));
        }
    }
}
