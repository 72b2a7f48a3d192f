using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Fraud;

/// <summary>
/// Compiled settings per game, read again from <see cref="IFraudConfigStore"/> once
/// <see cref="FraudOptions.ConfigRefreshInterval"/> has passed and recompiled only when the ETag changed.
/// A stored version that does not validate is logged and the last good one stays in use. A replaced version is
/// disposed, which frees its parsed receipt keys.
/// </summary>
public sealed partial class FraudConfigCache(
    IFraudConfigStore store, IOptions<FraudOptions> options, TimeProvider time, ILogger<FraudConfigCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The game's policy, or null when the game has no usable settings.</summary>
    public async ValueTask<FraudPolicy?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        var known = _entries.GetValueOrDefault(gameId);
        if (known is not null && time.GetElapsedTime(known.CheckedAt) < options.Value.ConfigRefreshInterval)
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
        if (known is null ? _entries.TryAdd(gameId, entry) : _entries.TryUpdate(gameId, entry, known))
        {
            if (known?.Policy is { } replaced && !ReferenceEquals(replaced, entry.Policy))
            {
                // Frees the old version's parsed receipt keys once the verifications still using it are done.
                replaced.Dispose();
            }

            return entry.Policy;
        }

        // Another caller refreshed this game meanwhile: its version stays, the one compiled here goes.
        if (entry.Policy is { } compiled && !ReferenceEquals(compiled, known?.Policy))
        {
            compiled.Dispose();
        }

        return _entries.GetValueOrDefault(gameId)?.Policy;
    }

    private Entry Compile(StoredFraudConfig stored, Entry? known)
    {
        var problems = new List<ConfigProblem>();
        var policy = FraudConfigValidator.TryCompile(stored.GameId, stored.Config, problems);
        if (policy is null)
        {
            LogInvalid(stored.GameId, stored.ETag, string.Join("; ", problems));
        }

        return new Entry(stored.ETag, policy ?? known?.Policy, time.GetTimestamp());
    }

    private sealed record Entry(string? ETag, FraudPolicy? Policy, long CheckedAt);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Fraud settings of game {GameId} (ETag {ETag}) are invalid and were not applied: {Problems}")]
    private partial void LogInvalid(string gameId, string etag, string problems);
}
