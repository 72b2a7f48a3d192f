using System.Collections.Concurrent;

namespace GameSignals.Stats;

/// <summary>A game's stored stats settings and the ETag of that version.</summary>
public sealed record StoredStatsSettings(string GameId, GameStatsSettings Settings, string ETag);

/// <summary>Stats settings per game, versioned by ETag (a Cosmos container in Azure), as the fraud settings are.</summary>
public interface IStatsSettingsStore
{
    ValueTask<StoredStatsSettings?> GetAsync(string gameId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a game's settings and returns the new ETag; with <paramref name="ifMatch"/> only when it is the current ETag,
    /// otherwise null. The store does not validate; callers run <see cref="StatsSettingsValidator"/> first.
    /// </summary>
    ValueTask<string?> SaveAsync(string gameId, GameStatsSettings settings, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>The embedded settings store of replay and tests.</summary>
public sealed class InMemoryStatsSettingsStore : IStatsSettingsStore
{
    private readonly ConcurrentDictionary<string, StoredStatsSettings> _games = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask<StoredStatsSettings?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_games.GetValueOrDefault(gameId));

    public ValueTask<string?> SaveAsync(string gameId, GameStatsSettings settings, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            if (ifMatch is not null && (!_games.TryGetValue(gameId, out var current) || current.ETag != ifMatch))
            {
                return ValueTask.FromResult<string?>(null);
            }

            var etag = Guid.NewGuid().ToString("N");
            _games[gameId] = new StoredStatsSettings(gameId, settings, etag);
            return ValueTask.FromResult<string?>(etag);
        }
    }

    /// <summary>The games that have settings (replay's outputs).</summary>
    public IEnumerable<StoredStatsSettings> All => _games.Values;
}
