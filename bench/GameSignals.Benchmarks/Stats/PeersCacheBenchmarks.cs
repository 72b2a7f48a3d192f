using BenchmarkDotNet.Attributes;
using GameSignals.Profiles;
using GameSignals.Stats;
using Microsoft.Extensions.Options;

namespace GameSignals.Benchmarks.Stats;

/// <summary>
/// Peers look-ups for stats messages on a burst of moments: 200 players of a 5,000-player game (profiles drawn around 32
/// play styles, fixed seed, exact index) each have 5 moments within 10 minutes of event time (deaths in a zone, a loss
/// streak, a level), 1,000 look-ups of the player's standing among their 20 nearest peers. Baseline: a similarity
/// search and comparison per moment; against it the <see cref="PeersCache"/> (15 minutes), started empty for each burst.
/// </summary>
[MemoryDiagnoser]
public class PeersCacheBenchmarks
{
    private const int Population = 5_000;
    private const int Bursting = 200;
    private const int MomentsEach = 5;
    private const int Lookups = Bursting * MomentsEach;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly StatsPolicy Policy = new("odin", 20, 10, TimeSpan.FromMinutes(15),
        new MomentPolicy(new HashSet<int>(), null, null, null, new Dictionary<string, string>()), null);

    private readonly IOptions<StatsOptions> _options = Options.Create(new StatsOptions());
    private readonly StatsMetrics _metrics = new();
    private SimilarityService _similarity = null!;
    private (string UserId, DateTimeOffset At)[] _burst = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(18);
        var store = new InMemoryProfileStore();
        var statistics = new InMemoryPopulationStatisticsStore();
        var index = new ExactPlayerIndex();
        var styles = Enumerable.Range(0, 32).Select(_ => (Pvp: random.Next(0, 60), Sales: random.Next(0, 40), Deaths: random.Next(1, 30), Level: random.Next(1, 80))).ToArray();
        for (var i = 0; i < Population; i++)
        {
            var style = styles[i % styles.Length];
            var seen = Start.AddDays(-random.Next(1, 30));
            var profile = PlayerProfile.New("odin", $"p{i:D5}") with
            {
                Level = style.Level + random.Next(0, 10),
                FirstSeen = seen.AddDays(-30),
                LastSeen = seen,
                Platform = i % 3 == 0 ? "ios" : "android",
                PvpMatches = new DecayingSum(style.Pvp + random.Next(0, 10), seen),
                MarketSales = new DecayingSum(style.Sales + random.Next(0, 10), seen),
                Deaths = new DecayingSum(style.Deaths + random.Next(0, 5), seen),
                PlaySeconds = new DecayingSum(3600 * random.Next(5, 60), seen),
            };
            store.CreateAsync(profile, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        new ProfileIndexer(store, statistics, index).RefreshGameAsync("odin", CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _similarity = new SimilarityService(store, statistics, index);

        // The burst in event time: each player's moments two minutes apart, players interleaved as partitions deliver them.
        _burst = [.. Enumerable.Range(0, MomentsEach)
            .SelectMany(m => Enumerable.Range(0, Bursting).Select(p => ($"p{p * (Population / Bursting):D5}", Start.AddMinutes(2 * m).AddSeconds(p))))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public async Task<int> SearchEveryMoment()
    {
        var peers = 0;
        foreach (var (userId, _) in _burst)
        {
            peers += (await _similarity.ComparePeersAsync(userId, Policy.K, new PlayerFilter("odin"), CancellationToken.None).ConfigureAwait(false)).Peers.Count;
        }

        return peers;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public async Task<int> PeersCache()
    {
        using var cache = new PeersCache(_similarity, _options, _metrics);
        var peers = 0;
        foreach (var (userId, at) in _burst)
        {
            peers += (await cache.GetAsync(Policy, userId, at, CancellationToken.None).ConfigureAwait(false))!.PeerCount;
        }

        return peers;
    }

    [GlobalCleanup]
    public void Cleanup() => _metrics.Dispose();
}
