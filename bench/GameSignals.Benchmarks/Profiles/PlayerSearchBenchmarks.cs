using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GameSignals.Profiles;

namespace GameSignals.Benchmarks.Profiles;

/// <summary>
/// Exact (SIMD scan) against approximate (HNSW) top-10 search over 50,000 random 32-dimension players of one
/// game. The setup prints the HNSW build time and its recall@10 against the exact results.
/// Run: <c>dotnet run -c Release --project bench/GameSignals.Benchmarks -- --filter *PlayerSearch*</c>
/// </summary>
[MemoryDiagnoser]
public class PlayerSearchBenchmarks
{
    private const int Players = 50_000;
    private const int Dimensions = 32;
    private const int K = 10;
    private static readonly PlayerFilter Game = new("odin");

    private readonly ExactPlayerIndex _exact = new();
    private readonly HnswPlayerIndex _approximate = new();
    private float[][] _queries = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var documents = Enumerable.Range(0, Players)
            .Select(i => new PlayerDocument("odin", $"p{i}", "kr-01", random.Next(1, 80), "pc", start, RandomVector(random)))
            .ToList();
        _queries = [.. Enumerable.Range(0, 500).Select(_ => RandomVector(random))];

        Wait(_exact.UpsertAsync(documents, CancellationToken.None));
        var watch = Stopwatch.StartNew();
        Wait(_approximate.UpsertAsync(documents, CancellationToken.None));
        var build = watch.Elapsed;

        var found = 0;
        foreach (var query in _queries)
        {
            var truth = Wait(_exact.SearchAsync(query, K, Game, CancellationToken.None)).Select(h => h.Document.UserId).ToHashSet();
            found += Wait(_approximate.SearchAsync(query, K, Game, CancellationToken.None)).Count(h => truth.Contains(h.Document.UserId));
        }

        Console.WriteLine($"// HNSW build of {Players} x {Dimensions}: {build.TotalSeconds:F1} s; recall@{K} against exact over {_queries.Length} random queries: {found / (double)(_queries.Length * K):F3}");
    }

    [Benchmark(Baseline = true)]
    public ValueTask<IReadOnlyList<PlayerHit>> Exact() => _exact.SearchAsync(NextQuery(), K, Game, CancellationToken.None);

    [Benchmark]
    public ValueTask<IReadOnlyList<PlayerHit>> Approximate() => _approximate.SearchAsync(NextQuery(), K, Game, CancellationToken.None);

    private static T Wait<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    private float[] NextQuery() => _queries[_next++ % _queries.Length];

    private static float[] RandomVector(Random random) => [.. Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];
}
