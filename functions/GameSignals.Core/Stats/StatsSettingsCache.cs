using System.Collections.Concurrent;
using GameSignals.Fraud;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Stats;

/// <summary>
/// Compiled settings per game, read again from <see cref="IStatsSettingsStore"/> once <see cref="StatsOptions.SettingsRefreshInterval"/>
/// has passed and recompiled only when the ETag changed. A stored version that does not validate is logged and the last good
/// one stays in use.
/// </summary>
public sealed partial class StatsSettingsCache(IStatsSettingsStore store, IOptions<StatsOptions> options, TimeProvider time, ILogger<StatsSettingsCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The game's policy, or null when the game has no usable stats settings.</summary>
    public async ValueTask<StatsPolicy?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        var known = _entries.GetValueOrDefault(gameId);
        if (known is not null && time.GetElapsedTime(known.CheckedAt) < options.Value.SettingsRefreshInterval)
        {
            return known.Policy;
        }

        var stored = await store.GetAsync(gameId, cancellationToken).ConfigureAwait(false);
        var entry = stored switch
        {
            null => new Entry(null, null, time.GetTimestamp()),
            _ when stored.ETag == known?.ETag => known with { CheckedAt = time.GetTimestamp() },
            _ => Compile(stored, known),
        };
        _entries[gameId] = entry;
        return entry.Policy;
    }

    private Entry Compile(StoredStatsSettings stored, Entry? known)
    {
        var problems = new List<ConfigProblem>();
        var policy = StatsSettingsValidator.TryCompile(stored.GameId, stored.Settings, problems);
        if (policy is null)
        {
            LogInvalid(stored.GameId, stored.ETag, string.Join("; ", problems));
        }

        return new Entry(stored.ETag, policy ?? known?.Policy, time.GetTimestamp());
    }

    private sealed record Entry(string? ETag, StatsPolicy? Policy, long CheckedAt);

    [LoggerMessage(EventId = 181, Level = LogLevel.Error, Message = "Stats settings of game {GameId} (ETag {ETag}) are invalid and were not applied: {Problems}")]
    private partial void LogInvalid(string gameId, string etag, string problems);
}
