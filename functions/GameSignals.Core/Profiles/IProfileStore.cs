using System.Collections.Concurrent;

namespace GameSignals.Profiles;

/// <summary>A profile as stored, with the ETag a replace must match.</summary>
public sealed record StoredProfile(PlayerProfile Profile, string ETag);

/// <summary>
/// Player profiles, one document per (gameId, userId).
/// </summary>
/// <remarks>
/// Cosmos <c>profiles</c> container: id <c>userId</c>, hierarchical partition key <c>(/gameId, /userId)</c>.
/// The hot path is a point read and an ETag-guarded replace of one user, which the full key routes to one
/// logical partition, spread evenly over physical ones whatever the game's size (a plain <c>/gameId</c> key
/// would put a whole game in one 20 GB logical partition and make it a write hot spot). The batch
/// renormalisation reads one game's profiles, which the <c>/gameId</c> prefix keeps to that game's physical
/// partitions instead of a fan-out over all games. Similarity queries never touch Cosmos: they go to the
/// vector index, filtered by game. Where hierarchical keys are unavailable, <c>/userId</c> keeps the hot
/// path and makes only the timer's per-game read cross-partition.
/// </remarks>
public interface IProfileStore
{
    ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken);

    /// <summary>Creates a profile; throws <see cref="ProfileConcurrencyException"/> when it already exists (409).</summary>
    ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken);

    /// <summary>Replaces a profile if its ETag is still <paramref name="ifMatch"/>; otherwise throws <see cref="ProfileConcurrencyException"/> (412).</summary>
    ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken);

    /// <summary>Every profile of a game (batch renormalisation).</summary>
    IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, CancellationToken cancellationToken);
}

/// <summary>A create found the profile existing, or a replace found its ETag changed: re-read and apply again.</summary>
public sealed class ProfileConcurrencyException : Exception
{
    public ProfileConcurrencyException() { }

    public ProfileConcurrencyException(string message) : base(message) { }

    public ProfileConcurrencyException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>In-memory <see cref="IProfileStore"/> with Cosmos semantics: create conflicts and ETag preconditions.</summary>
public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly ConcurrentDictionary<(string GameId, string UserId), StoredProfile> _profiles = new();
    private long _version;

    public int Count => _profiles.Count;

    /// <summary>The games that have at least one profile, in ordinal order.</summary>
    public IReadOnlyList<string> GameIds => [.. _profiles.Keys.Select(k => k.GameId).Distinct().Order(StringComparer.Ordinal)];

    public ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_profiles.TryGetValue((gameId, userId), out var stored) ? stored : null);

    public ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var stored = new StoredProfile(profile, NextETag());
        return _profiles.TryAdd((profile.GameId, profile.UserId), stored)
            ? ValueTask.FromResult(stored)
            : throw new ProfileConcurrencyException($"Profile {profile.GameId}/{profile.UserId} already exists.");
    }

    public ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var key = (profile.GameId, profile.UserId);
        var stored = new StoredProfile(profile, NextETag());
        return _profiles.TryGetValue(key, out var current)
            && current.ETag == ifMatch
            && _profiles.TryUpdate(key, stored, current)
            ? ValueTask.FromResult(stored)
            : throw new ProfileConcurrencyException($"Profile {profile.GameId}/{profile.UserId} changed since ETag {ifMatch}.");
    }

    public IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, CancellationToken cancellationToken) =>
        _profiles.Where(p => p.Key.GameId == gameId).Select(p => p.Value.Profile).ToAsyncEnumerable();

    private string NextETag() => "\"" + Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";
}
