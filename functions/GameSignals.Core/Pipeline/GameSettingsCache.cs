using System.Collections.Concurrent;

namespace GameSignals.Pipeline;

/// <summary>
/// A game's settings compiled into a policy, read again from their store once <c>refreshInterval</c> has passed and
/// compiled again only when the stored version's ETag changed; a version that does not compile (null) leaves the last
/// good policy in use. A replaced policy that holds resources (<see cref="IDisposable"/>) is disposed. Fraud settings
/// and stats settings are cached through it.
/// </summary>
/// <param name="read">The game's stored settings, null when it has none.</param>
/// <param name="etagOf">The stored version's ETag.</param>
/// <param name="compile">The policy of a stored version; null when it does not validate (the caller logs why).</param>
public sealed class GameSettingsCache<TStored, TPolicy>(
    Func<string, CancellationToken, ValueTask<TStored?>> read,
    Func<TStored, string> etagOf,
    Func<TStored, TPolicy?> compile,
    Func<TimeSpan> refreshInterval,
    TimeProvider time)
    where TStored : class
    where TPolicy : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The game's policy, or null when the game has no usable settings.</summary>
    public async ValueTask<TPolicy?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        var known = _entries.GetValueOrDefault(gameId);
        if (known is not null && time.GetElapsedTime(known.CheckedAt) < refreshInterval())
        {
            return known.Policy;
        }

        var stored = await read(gameId, cancellationToken).ConfigureAwait(false);
        var entry = stored switch
        {
            null => new Entry(null, null, time.GetTimestamp()),
            _ when etagOf(stored) == known?.ETag => known with { CheckedAt = time.GetTimestamp() },
            _ => new Entry(etagOf(stored), compile(stored) ?? known?.Policy, time.GetTimestamp()),
        };
        if (known is null ? _entries.TryAdd(gameId, entry) : _entries.TryUpdate(gameId, entry, known))
        {
            if (known?.Policy is IDisposable replaced && !ReferenceEquals(replaced, entry.Policy))
            {
                // Frees what the old version holds once the work still using it is done (its own concern).
                replaced.Dispose();
            }

            return entry.Policy;
        }

        // Another caller refreshed this game meanwhile: its version stays, the one compiled here goes.
        if (entry.Policy is IDisposable compiled && !ReferenceEquals(compiled, known?.Policy))
        {
            compiled.Dispose();
        }

        return _entries.GetValueOrDefault(gameId)?.Policy;
    }

    private sealed record Entry(string? ETag, TPolicy? Policy, long CheckedAt);
}
