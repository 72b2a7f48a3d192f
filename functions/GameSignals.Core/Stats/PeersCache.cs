using GameSignals.Profiles;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace GameSignals.Stats;

/// <summary>
/// A player's standing among their k most similar players of the same game (<see cref="SimilarityService.ComparePeersAsync"/>),
/// kept per player for <see cref="StatsPolicy.CacheFor"/> of event time, so a burst of moments costs one search. "Not known
/// yet" (the game has no statistics, the player no stored profile) is kept the same way. The cache is bounded
/// (<see cref="StatsOptions.PeersCacheSize"/> players; the least recently used go first) and lives in the instance: a new
/// owner of a partition searches again.
/// </summary>
public sealed class PeersCache(SimilarityService similarity, IOptions<StatsOptions> options, StatsMetrics metrics) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.PeersCacheSize });

    /// <summary>The player's standing at <paramref name="at"/> (event time), or null when their peers are not known.</summary>
    public async ValueTask<PeerStanding?> GetAsync(StatsPolicy policy, string userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        metrics.PeerLookups.Add(1);
        var key = (policy.GameId, userId);
        if (_cache.TryGetValue(key, out Entry? entry) && entry!.K == policy.K && (at - entry.At).Duration() < policy.CacheFor)
        {
            return entry.Standing;
        }

        metrics.PeerSearches.Add(1);
        PeerStanding? standing;
        try
        {
            var comparison = await similarity.ComparePeersAsync(userId, policy.K, new PlayerFilter(policy.GameId), cancellationToken).ConfigureAwait(false);
            standing = PeerStanding.Of(comparison, policy.K, at);
        }
        catch (Exception ex) when (ex is SimilarityNotReadyException or UnknownPlayersException)
        {
            standing = null;
        }

        _cache.Set(key, new Entry(standing, at, policy.K), new MemoryCacheEntryOptions { Size = 1 });
        return standing;
    }

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(PeerStanding? Standing, DateTimeOffset At, int K);
}
