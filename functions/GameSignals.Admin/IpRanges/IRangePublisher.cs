using GameSignals.IpRanges;

namespace GameSignals.Admin.IpRanges;

/// <summary>
/// The range table an instance answers lookups from, and how a blocklist change reaches it: in Azure a refresh
/// publishes a new snapshot that every instance then reads; in the local console the table is rebuilt at once.
/// </summary>
public interface IRangePublisher
{
    /// <summary>The table in use on this instance.</summary>
    RangeTable Table { get; }

    /// <summary>When this instance took up <see cref="Table"/> (its last range refresh); null before the first.</summary>
    DateTimeOffset? InUseSince { get; }

    /// <summary>Takes up the latest published table, so an answer reflects it; a failure keeps the table in use.</summary>
    Task CheckForUpdateAsync(CancellationToken cancellationToken);

    /// <summary>Refreshes every source now and uses the result on this instance.</summary>
    Task<IpRangesRefreshResult> RefreshNowAsync(CancellationToken cancellationToken);

    /// <summary>Publishes the blocklist as it now is (started, not awaited, where publishing is slow).</summary>
    Task PublishBlocklistChangeAsync(CancellationToken cancellationToken);
}
