namespace GameSignals.Fraud;

/// <summary>A game's stored fraud settings and the ETag of that version.</summary>
public sealed record StoredFraudConfig(string GameId, GameFraudConfig Config, string ETag);

/// <summary>Fraud settings per game, versioned by ETag (a Cosmos container in Azure).</summary>
public interface IFraudConfigStore
{
    ValueTask<StoredFraudConfig?> GetAsync(string gameId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a game's settings and returns the new ETag. With <paramref name="ifMatch"/> the write happens only
    /// when it is the current ETag, otherwise null is returned (someone changed it since it was read).
    /// The store does not validate; callers run <see cref="FraudConfigValidator"/> first.
    /// </summary>
    ValueTask<string?> SaveAsync(string gameId, GameFraudConfig config, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>The embedded settings store of replay and tests.</summary>
public sealed class InMemoryFraudConfigStore : IFraudConfigStore
{
    private readonly Dictionary<string, StoredFraudConfig> _games = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask<StoredFraudConfig?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_games.GetValueOrDefault(gameId));
        }
    }

    public ValueTask<string?> SaveAsync(string gameId, GameFraudConfig config, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(config);
        lock (_gate)
        {
            if (ifMatch is not null && (!_games.TryGetValue(gameId, out var current) || current.ETag != ifMatch))
            {
                return ValueTask.FromResult<string?>(null);
            }

            var etag = Guid.NewGuid().ToString("N");
            _games[gameId] = new StoredFraudConfig(gameId, config, etag);
            return ValueTask.FromResult<string?>(etag);
        }
    }

    /// <summary>Saves every game of a <c>fraud.json</c> document (replay and tests).</summary>
    public async ValueTask SaveAllAsync(FraudConfigDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        foreach (var (gameId, config) in document.Games)
        {
            await SaveAsync(gameId, config, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
