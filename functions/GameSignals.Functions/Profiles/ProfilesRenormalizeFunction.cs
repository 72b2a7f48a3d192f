using GameSignals.Profiles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Profiles;

/// <summary>
/// Recomputes each configured game's population statistics and re-indexes its players
/// (<see cref="ProfileIndexer.RefreshGameAsync"/>), on <c>Profiles:RenormalizeSchedule</c> (hourly by default).
/// </summary>
public sealed partial class ProfilesRenormalizeFunction(ProfileIndexer indexer, IOptionsMonitor<RenormalizeOptions> options, ILogger<ProfilesRenormalizeFunction> logger)
{
    [Function("ProfilesRenormalize")]
    public Task RunAsync([TimerTrigger("%Profiles:RenormalizeSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RenormalizeAsync(cancellationToken);

    /// <summary>
    /// Refreshes every game, one failing game not stopping the others; throws afterwards when any failed, so
    /// the invocation shows as failed (the next run repairs it: a refresh is idempotent).
    /// </summary>
    public async Task RenormalizeAsync(CancellationToken cancellationToken)
    {
        var failures = new List<Exception>();
        foreach (var gameId in options.CurrentValue.GameIds)
        {
            try
            {
                var statistics = await indexer.RefreshGameAsync(gameId, cancellationToken).ConfigureAwait(false);
                LogRefreshed(gameId, statistics?.Players ?? 0);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex, gameId);
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} game(s) were not renormalized.", failures);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Profiles of game {GameId} renormalized: {Players} players indexed")]
    private partial void LogRefreshed(string gameId, int players);

    [LoggerMessage(Level = LogLevel.Error, Message = "Profiles of game {GameId} were not renormalized")]
    private partial void LogFailed(Exception exception, string gameId);
}
