using GameSignals.Admin.IpRanges;
using GameSignals.IpRanges;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.IpRanges;

/// <summary>
/// Keeps this instance's <see cref="CurrentRangeTable"/> on the published snapshot: checks the pointer at startup
/// and every <see cref="IpRangesHostOptions.PointerCheckInterval"/>, and runs refreshes asked for by the admin API
/// (now, or in the background after a blocklist change).
/// </summary>
public sealed partial class IpRangesUpdater(
    CurrentRangeTable table,
    IpRangesRefresher refresher,
    IOptions<IpRangesHostOptions> options,
    TimeProvider time,
    ILogger<IpRangesUpdater> logger) : BackgroundService, IRangePublisher
{
    private readonly CancellationTokenSource _stopping = new();

    // Started with the service (not inside ExecuteAsync, which runs later on the thread pool) so checks count from startup.
    private readonly PeriodicTimer _timer = new(options.Value.PointerCheckInterval, time);

    /// <summary>Loads the published table before the host starts, so the first events are judged with it.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckForUpdateAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await CheckForUpdateAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public RangeTable Table => table.Table;

    public DateTimeOffset? InUseSince => table.InUseSince;

    /// <summary>Publishes a blocklist change through a refresh in the background (<see cref="RefreshInBackground"/>).</summary>
    public Task PublishBlocklistChangeAsync(CancellationToken cancellationToken)
    {
        _ = RefreshInBackground();
        return Task.CompletedTask;
    }

    /// <summary>Swaps in the published snapshot if it changed; a failure is logged and the table in use stays.</summary>
    public async Task CheckForUpdateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await table.CheckForUpdateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage down or a bad snapshot: lookups keep the table in use, and the next check tries again.
            LogCheckFailed(logger, e);
        }
    }

    /// <summary>Refreshes the snapshot and, when one was published, uses it on this instance at once.</summary>
    public async Task<IpRangesRefreshResult> RefreshNowAsync(CancellationToken cancellationToken)
    {
        var result = await refresher.RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IpRangesRefreshOutcome.Published)
        {
            await CheckForUpdateAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Starts a refresh without waiting for it (after a blocklist change); the task ends with its result, or null
    /// when it failed (logged). Refreshes run one at a time, each reading the blocklist as it is then.
    /// </summary>
    public Task<IpRangesRefreshResult?> RefreshInBackground() => LastBackgroundRefresh = Task.Run(async () =>
    {
        try
        {
            var result = await RefreshNowAsync(_stopping.Token).ConfigureAwait(false);
            LogBackgroundRefresh(logger, result.Outcome, result.Version);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBackgroundRefreshFailed(logger, e);
            return null;
        }
    });

    /// <summary>The refresh <see cref="RefreshInBackground"/> started last (tests wait for it).</summary>
    internal Task<IpRangesRefreshResult?>? LastBackgroundRefresh { get; private set; }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        _timer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking for a new IP range snapshot failed; the table in use stays")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "IP range refresh after a blocklist change: {Outcome}, version {Version}")]
    private static partial void LogBackgroundRefresh(ILogger logger, IpRangesRefreshOutcome outcome, string? version);

    [LoggerMessage(Level = LogLevel.Error, Message = "IP range refresh after a blocklist change failed; the next scheduled refresh includes the change")]
    private static partial void LogBackgroundRefreshFailed(ILogger logger, Exception exception);
}
