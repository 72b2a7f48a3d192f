using System.Collections.Concurrent;

namespace GameSignals.Profiles;

/// <summary>A profile as stored, with the ETag a replace must match.</summary>
public sealed record StoredProfile(PlayerProfile Profile, string ETag);

/// <summary>
/// Player profiles, one document per (gameId, userId).
/// </summary>
/// <remarks>
/// Cosmos <c>profiles</c> container (infra/modules): id <c>userId</c>, partition key <c>/gameId</c>. The hot path
/// is a point read and an ETag-guarded replace of one user; the batch renormalisation reads one game, which the
/// key keeps to one partition; similarity queries go to the vector index, never to Cosmos. The price is one
/// logical partition per game (20 GB, 10,000 RU/s), which is why the stage coalesces to one write per player per
/// batch. A game past that needs the hierarchical key <c>(/gameId, /userId)</c>, which keeps both access patterns
/// and spreads a game over physical partitions; the local Cosmos stand-in cannot test it, so it is not used yet.
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
