using GameSignals.Admin.IpRanges;
using GameSignals.IpRanges;

namespace GameSignals.Cli.LiveConsole;

/// <summary>
/// The local console's range table: the one loaded from the config's <c>ipranges/</c>, with the blocklist store's
/// entries folded in again at once after each change (in Azure a refresh publishes a snapshot instead).
/// </summary>
internal sealed class ConsoleRangePublisher(RangeTable loaded, IBlocklistStore store) : IRangePublisher
{
    private readonly RangeTable _loaded = loaded;
    private InUse _current = new(loaded, DateTimeOffset.UtcNow);

    public RangeTable Table => Volatile.Read(ref _current).Table;

    public DateTimeOffset? InUseSince => Volatile.Read(ref _current).Since;

    public Task CheckForUpdateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IpRangesRefreshResult> RefreshNowAsync(CancellationToken cancellationToken)
    {
        var before = Table.Version;
        await PublishBlocklistChangeAsync(cancellationToken).ConfigureAwait(false);
        var outcome = Table.Version == before ? IpRangesRefreshOutcome.Unchanged : IpRangesRefreshOutcome.Published;
        return new IpRangesRefreshResult(outcome, Table.Version, [], new RangeParseReport());
    }

    public async Task PublishBlocklistChangeAsync(CancellationToken cancellationToken)
    {
        var sources = _loaded.ToSources();
        sources.Blocklist.AddRange(await store.ListAsync(cancellationToken).ConfigureAwait(false));
        Volatile.Write(ref _current, new InUse(RangeTable.Build(sources), DateTimeOffset.UtcNow));
    }

    private sealed record InUse(RangeTable Table, DateTimeOffset Since);
}
