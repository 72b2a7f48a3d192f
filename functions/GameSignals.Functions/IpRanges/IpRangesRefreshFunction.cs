using GameSignals.IpRanges;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GameSignals.Functions.IpRanges;

/// <summary>
/// The scheduled refresh (<c>IpRanges:Schedule</c>, NCRONTAB): downloads the sources and publishes a new snapshot
/// if anything changed. Every instance then swaps it in through its <see cref="IpRangesUpdater"/>.
/// </summary>
public sealed partial class IpRangesRefreshFunction(IpRangesRefresher refresher, ILogger<IpRangesRefreshFunction> logger)
{
    [Function("IpRangesRefresh")]
    public async Task RunAsync([TimerTrigger("%IpRanges:Schedule%", RunOnStartup = false)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await refresher.RefreshAsync(context.CancellationToken).ConfigureAwait(false);
        var refused = string.Join("; ", result.Refused.Select(r => $"{r.Kind}: {r.Reason} ({r.Detail})"));
        if (result.Outcome is IpRangesRefreshOutcome.Published or IpRangesRefreshOutcome.Unchanged)
        {
            LogRefreshed(logger, result.Outcome, result.Version, refused);
        }
        else
        {
            LogNotPublished(logger, result.Outcome, result.Version, refused);
        }
    }

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "IP ranges refresh: {Outcome}, version {Version}; refused sources: {Refused}")]
    private static partial void LogRefreshed(ILogger logger, IpRangesRefreshOutcome outcome, string? version, string refused);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "IP ranges refresh: {Outcome}, the published version stays {Version}; refused sources: {Refused}")]
    private static partial void LogNotPublished(ILogger logger, IpRangesRefreshOutcome outcome, string? version, string refused);
}
