using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;

namespace GameSignals.IpRanges;

/// <summary>
/// The <see cref="IIpIntelligence"/> of a running instance: delegates to the current <see cref="RangeTable"/> and
/// swaps in a new one atomically when the store's pointer names another version. Lookups never wait: a reader sees
/// the old table or the new one, whole.
/// </summary>
/// <param name="time">The clock that dates a swap (<see cref="InUseSince"/>); the system clock when null.</param>
public sealed partial class CurrentRangeTable(IRangeSnapshotStore store, ILogger<CurrentRangeTable> logger, TimeProvider? time = null)
    : IIpIntelligence, IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private InUse _current = new(RangeTable.Empty, null);

    public RangeTable Table => Volatile.Read(ref _current).Table;

    /// <summary>When this instance started using the table (the last range refresh it took); null before the first.</summary>
    public DateTimeOffset? InUseSince => Volatile.Read(ref _current).Since;

    /// <summary>Replaces the table directly (replay, or an instance that just built it).</summary>
    public void Use(RangeTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Volatile.Write(ref _current, new InUse(table, (time ?? TimeProvider.System).GetUtcNow()));
    }

    /// <summary>Loads the store's current snapshot when its version differs from the table in use; true when it swapped.</summary>
    /// <exception cref="InvalidDataException">The pointer names a missing or corrupt snapshot (the old table stays).</exception>
    public async Task<bool> CheckForUpdateAsync(CancellationToken cancellationToken)
    {
        var pointer = await store.GetPointerAsync(cancellationToken).ConfigureAwait(false);
        if (pointer is null || pointer.Version == Table.Version)
        {
            return false;
        }

        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (pointer.Version == Table.Version)
            {
                return false; // another caller loaded it meanwhile
            }

            var content = await store.ReadSnapshotAsync(pointer.BlobName, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The range snapshot pointer names the missing blob {pointer.BlobName}.");
            var table = RangeSnapshot.Load(content);
            if (table.Version != pointer.Version)
            {
                throw new InvalidDataException($"The range snapshot {pointer.BlobName} hashes to {table.Version}, not {pointer.Version}.");
            }

            Use(table);
            LogSwapped(logger, table.Version, table.CloudEntryCount, table.AsnRowCount, table.BlocklistEntryCount);
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }

    public bool TryGetAsn(IPAddress address, [MaybeNullWhen(false)] out AsnInfo asn) => Table.TryGetAsn(address, out asn);

    public void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches) => Table.GetCloudRanges(address, matches);

    public void GetBlocklistMatches(IPAddress address, DateTimeOffset at, ICollection<BlocklistEntry> matches) =>
        Table.GetBlocklistMatches(address, at, matches);

    public void Dispose() => _reload.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "IP range table {Version} in use: {Cloud} cloud prefixes, {Asn} ASN rows, {Blocklist} blocklist entries")]
    private static partial void LogSwapped(ILogger logger, string version, int cloud, int asn, int blocklist);

    /// <summary>The table and when it was taken up, swapped as one.</summary>
    private sealed record InUse(RangeTable Table, DateTimeOffset? Since);
}
