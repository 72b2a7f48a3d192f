using System.Diagnostics;
using GameSignals.Benchmarks.Components;
using GameSignals.Profiles;

namespace GameSignals.Benchmarks.Profiles;

/// <summary>
/// Issue 14's embedded player index goals: one game of up to a million profile vectors (the real profile length;
/// players drawn around 64 play styles, with a platform one-hot, fixed seed). The approximate index (USearch) is
/// built until a million players or eight minutes of build, whichever comes first; the exact SIMD scan over the same
/// players is the baseline in the same run. Lines: recall@10, p99 query milliseconds, speed-up, build seconds, memory.
/// </summary>
internal static class VectorGoals
{
    private const int Players = 1_000_000;
    private const int Batch = 50_000;
    private const int K = 10;
    private const int Queries = 1_000;
    private static readonly TimeSpan BuildBudget = TimeSpan.FromMinutes(8);
    private static readonly PlayerFilter Game = new("odin");

    public static IEnumerable<GoalLine> Measure()
    {
        var random = new Random(14);
        var styles = Enumerable.Range(0, 64).Select(_ => Gaussians(random, ProfileFeatures.Numeric.Count, 1.0)).ToArray();
        var players = Enumerable.Range(0, Players).Select(i => Player(random, styles, i)).ToList();

        using var approximate = new ApproximatePlayerIndex(exactUpTo: 0);
        GC.Collect();
        var memoryBefore = Environment.WorkingSet;
        var build = Stopwatch.StartNew();
        var built = 0;
        while (built < Players && build.Elapsed < BuildBudget)
        {
            Wait(approximate.UpsertAsync(players.GetRange(built, Batch), CancellationToken.None));
            Search(approximate, players[built].Vector); // the graph takes upserts in at the next search
            built += Batch;
        }

        var buildSeconds = build.Elapsed.TotalSeconds;
        GC.Collect();
        var bytesPerPlayer = (double)(Environment.WorkingSet - memoryBefore) / built;
        var exact = new ExactPlayerIndex();
        Wait(exact.UpsertAsync(players.GetRange(0, built), CancellationToken.None));

        // Queries are players' own vectors, slightly moved: "who plays like this player".
        var queries = Enumerable.Range(0, Queries)
            .Select(_ => players[random.Next(built)].Vector.Select(x => x + (float)(random.NextDouble() * 0.05)).ToArray()).ToArray();

        var found = 0;
        const int recallQueries = 200;
        foreach (var query in queries.Take(recallQueries))
        {
            var truth = Search(exact, query).Select(h => h.Document.UserId).ToHashSet(StringComparer.Ordinal);
            found += Search(approximate, query).Count(h => truth.Contains(h.Document.UserId));
        }

        var recall = found / (double)(recallQueries * K);
        var next = 0;
        var approximateSeconds = ComponentGoals.CpuSecondsPerPass(Queries, () => Search(approximate, queries[next++ % Queries]));
        var exactSeconds = ComponentGoals.MedianCpuSeconds(3, () =>
        {
            foreach (var query in queries.Take(20))
            {
                Search(exact, query);
            }
        }) / 20;
        var latencies = queries.Select(query =>
        {
            var watch = Stopwatch.StartNew();
            Search(approximate, query);
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ToArray();
        var p99 = latencies[(int)(latencies.Length * 0.99)];
        var speedUp = exactSeconds / approximateSeconds;
        var size = $"{built:N0} x {ProfileFeatures.VectorLength}" + (built < Players ? $", build budget of {BuildBudget.TotalMinutes:0} min reached before {Players:N0}" : "");

        yield return new GoalLine("vectors.recall_at_10", $"{ComponentGoals.Number(recall)} against the exact scan over {recallQueries} queries ({size})", ">= 0.95", recall >= 0.95);
        yield return new GoalLine("vectors.p99_query_ms", $"{ComponentGoals.Number(p99)} wall clock, one thread (mean {ComponentGoals.Number(approximateSeconds * 1000)} CPU ms; {size})", "< 5", p99 < 5);
        yield return new GoalLine("vectors.speed_up", $"{ComponentGoals.Number(speedUp)}x the exact SIMD scan ({ComponentGoals.Number(exactSeconds * 1000)} CPU ms per query; {size})", ">= 20", speedUp >= 20);
        yield return new GoalLine(
            "vectors.build",
            $"{ComponentGoals.Number(buildSeconds)} s wall clock, {ComponentGoals.Number(bytesPerPlayer)} bytes of working set per player with its document ({size})",
            "reported", true);
        GC.KeepAlive(exact);
    }

    private static IReadOnlyList<PlayerHit> Search(IPlayerIndex index, float[] query) =>
        Wait(index.SearchAsync(query, K, Game, CancellationToken.None));

    private static PlayerDocument Player(Random random, float[][] styles, int i)
    {
        var style = styles[random.Next(styles.Length)];
        var noise = Gaussians(random, style.Length, 0.5);
        var platform = random.Next(ProfileFeatures.Platforms.Count);
        float[] vector = [.. style.Select((x, d) => x + noise[d]), .. Enumerable.Range(0, ProfileFeatures.Platforms.Count).Select(p => p == platform ? 1f : 0f)];
        return new PlayerDocument("odin", $"p{i:D7}", "kr-01", random.Next(1, 80), ProfileFeatures.Platforms[platform], DateTimeOffset.UnixEpoch, vector);
    }

    /// <summary>Normal draws (Box-Muller): profile features are robust z-scores, roughly normal around a play style.</summary>
    private static float[] Gaussians(Random random, int count, double deviation) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];

    private static T Wait<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();
}
