namespace GameSignals.IpRanges;

/// <summary>A blocklist entry with the store's version of it (its ETag), which changes on every write.</summary>
public sealed record StoredBlocklistEntry(BlocklistEntry Entry, string ETag);

public enum BlocklistWriteStatus
{
    Created,
    Replaced,
    Deleted,
    NotFound,

    /// <summary>The write's precondition did not hold when it was applied; nothing was written.</summary>
    PreconditionFailed,
}

/// <summary>
/// What a write requires of the stored entry. The store checks it in the same step as the write, so of two
/// writes that read the same version only one lands.
/// </summary>
public readonly record struct BlocklistPrecondition
{
    /// <summary>Write whatever is stored.</summary>
    public static BlocklistPrecondition None => default;

    /// <summary>Write only when no entry has the id (HTTP <c>If-None-Match: *</c>).</summary>
    public static BlocklistPrecondition Absent => new() { MustBeAbsent = true };

    /// <summary>Write only when the stored entry has this ETag; <c>*</c>: only when it exists (HTTP <c>If-Match</c>).</summary>
    public static BlocklistPrecondition Matching(string eTag) => new() { IfMatch = eTag };

    public string? IfMatch { get; private init; }

    public bool MustBeAbsent { get; private init; }
}

/// <summary>
/// The operators' blocklist: entries by id, each a CIDR or an ASN with a reason, optional expiry and author.
/// The refresh folds the entries into the next range snapshot; expired entries stay listed but match nothing.
/// </summary>
public interface IBlocklistStore
{
    Task<IReadOnlyList<BlocklistEntry>> ListAsync(CancellationToken cancellationToken);

    Task<StoredBlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the entry or replaces the one with its id when <paramref name="precondition"/> holds: Created or
    /// Replaced with the entry as stored (its CIDR canonical), else PreconditionFailed and no entry.
    /// </summary>
    /// <exception cref="BlocklistValidationException">The entry breaks a rule; the exception names the field.</exception>
    Task<(BlocklistWriteStatus Status, StoredBlocklistEntry? Stored)> UpsertAsync(BlocklistEntry entry, BlocklistPrecondition precondition, CancellationToken cancellationToken);

    /// <summary>Removes the entry, only if it has the ETag <paramref name="ifMatch"/> when one is given (<c>*</c>: any).</summary>
    Task<BlocklistWriteStatus> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken);
}

public sealed class InMemoryBlocklistStore : IBlocklistStore
{
    private readonly Dictionary<string, StoredBlocklistEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _version;

    public Task<IReadOnlyList<BlocklistEntry>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<BlocklistEntry>>([.. _entries.Values.Select(stored => stored.Entry).OrderBy(entry => entry.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<StoredBlocklistEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(id));
        }
    }

    public Task<(BlocklistWriteStatus Status, StoredBlocklistEntry? Stored)> UpsertAsync(BlocklistEntry entry, BlocklistPrecondition precondition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            throw invalid;
        }

        var canonical = BlocklistRules.Canonical(entry);
        lock (_gate)
        {
            var exists = _entries.TryGetValue(canonical.Id!, out var current);
            if ((precondition.MustBeAbsent && exists) || (precondition.IfMatch is { } ifMatch && !Matches(current, ifMatch)))
            {
                return Task.FromResult<(BlocklistWriteStatus, StoredBlocklistEntry?)>((BlocklistWriteStatus.PreconditionFailed, null));
            }

            var stored = new StoredBlocklistEntry(canonical, (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _entries[canonical.Id!] = stored;
            return Task.FromResult<(BlocklistWriteStatus, StoredBlocklistEntry?)>((exists ? BlocklistWriteStatus.Replaced : BlocklistWriteStatus.Created, stored));
        }
    }

    public Task<BlocklistWriteStatus> DeleteAsync(string id, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var current))
            {
                return Task.FromResult(BlocklistWriteStatus.NotFound);
            }

            if (ifMatch is not null && !Matches(current, ifMatch))
            {
                return Task.FromResult(BlocklistWriteStatus.PreconditionFailed);
            }

            _entries.Remove(id);
            return Task.FromResult(BlocklistWriteStatus.Deleted);
        }
    }

    private static bool Matches(StoredBlocklistEntry? current, string ifMatch) => current is not null && (ifMatch == "*" || ifMatch == current.ETag);
}
