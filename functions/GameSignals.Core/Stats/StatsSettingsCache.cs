using GameSignals.Fraud;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Stats;

/// <summary>
/// Compiled settings per game, read again from <see cref="IStatsSettingsStore"/> once <see cref="StatsOptions.SettingsRefreshInterval"/>
/// has passed and recompiled only when the ETag changed. A stored version that does not validate is logged and the last good
/// one stays in use.
/// </summary>
public sealed partial class StatsSettingsCache
{
    private readonly GameSettingsCache<StoredStatsSettings, StatsPolicy> _cache;
    private readonly ILogger<StatsSettingsCache> _logger;

    public StatsSettingsCache(IStatsSettingsStore store, IOptions<StatsOptions> options, TimeProvider time, ILogger<StatsSettingsCache> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _cache = new(store.GetAsync, static stored => stored.ETag, Compile, () => options.Value.SettingsRefreshInterval, time);
    }

    /// <summary>The game's policy, or null when the game has no usable stats settings.</summary>
    public ValueTask<StatsPolicy?> GetAsync(string gameId, CancellationToken cancellationToken) => _cache.GetAsync(gameId, cancellationToken);

    private StatsPolicy? Compile(StoredStatsSettings stored)
    {
        var problems = new List<ConfigProblem>();
        var policy = StatsSettingsValidator.TryCompile(stored.GameId, stored.Settings, problems);
        if (policy is null)
        {
            LogInvalid(stored.GameId, stored.ETag, string.Join("; ", problems));
        }

        return policy;
    }

    [LoggerMessage(EventId = 181, Level = LogLevel.Error, Message = "Stats settings of game {GameId} (ETag {ETag}) are invalid and were not applied: {Problems}")]
    private partial void LogInvalid(string gameId, string etag, string problems);
}
