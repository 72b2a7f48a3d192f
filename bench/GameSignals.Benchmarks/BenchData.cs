using System.Reflection;

namespace GameSignals.Benchmarks;

/// <summary>The inputs of the benchmarks: the repository's example stream, and real range publications a user downloaded.</summary>
internal static class BenchData
{
    /// <summary>The environment variable naming a folder of real range publications (bench/real-ranges.sh says where to get them).</summary>
    public const string RangesVariable = "GAMESIGNALS_RANGES";

    private static readonly string RepositoryRoot = typeof(BenchData).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "RepositoryRoot").Value!;

    public static string ExampleEvents => Path.Combine(RepositoryRoot, "tests", "data", "examples", "events.jsonl");

    /// <summary>The example stream's lines that are single events starting as producers write them (no poison lines), in stream order.</summary>
    public static IEnumerable<string> ExampleEventLines() =>
        File.ReadLines(ExampleEvents).Where(line => line.StartsWith("{\"specversion\":\"1.0\"", StringComparison.Ordinal));

    /// <summary>
    /// Real publications, not our small fixtures: lookups and builds are only worth measuring at their size
    /// (about 105,000 prefixes). They are third-party files, so the repository does not hold them.
    /// </summary>
    public static string RealIpRanges =>
        Environment.GetEnvironmentVariable(RangesVariable) is { Length: > 0 } directory && Directory.Exists(directory)
            ? directory
            : throw new DirectoryNotFoundException(
                $"The IP range benchmarks need the providers' real publications: download them (bench/real-ranges.sh lists where from) and set {RangesVariable} to their folder.");
}
