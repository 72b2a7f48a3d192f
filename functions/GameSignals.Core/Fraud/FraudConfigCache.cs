using GameSignals.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Fraud;

/// <summary>
/// Compiled settings per game, read again from <see cref="IFraudConfigStore"/> once
/// <see cref="FraudOptions.ConfigRefreshInterval"/> has passed and recompiled only when the ETag changed.
/// A stored version that does not validate is logged and the last good one stays in use. A replaced version is
/// disposed, which frees its parsed receipt keys.
/// </summary>
public sealed partial class FraudConfigCache
{
    private readonly GameSettingsCache<StoredFraudConfig, FraudPolicy> _cache;
    private readonly ILogger<FraudConfigCache> _logger;

    public FraudConfigCache(IFraudConfigStore store, IOptions<FraudOptions> options, TimeProvider time, ILogger<FraudConfigCache> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        _cache = new(store.GetAsync, static stored => stored.ETag, Compile, () => options.Value.ConfigRefreshInterval, time);
    }

    /// <summary>The game's policy, or null when the game has no usable settings.</summary>
    public ValueTask<FraudPolicy?> GetAsync(string gameId, CancellationToken cancellationToken) => _cache.GetAsync(gameId, cancellationToken);

    private FraudPolicy? Compile(StoredFraudConfig stored)
    {
        var problems = new List<ConfigProblem>();
        var policy = FraudConfigValidator.TryCompile(stored.GameId, stored.Config, problems);
        if (policy is null)
        {
            LogInvalid(stored.GameId, stored.ETag, string.Join("; ", problems));
        }

        return policy;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Fraud settings of game {GameId} (ETag {ETag}) are invalid and were not applied: {Problems}")]
    private partial void LogInvalid(string gameId, string etag, string problems);
}
