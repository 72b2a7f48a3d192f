using System.Text.Json.Serialization;

namespace GameSignals.Cli.Replay;

/// <summary><c>summary.json</c>: the contract's fields (§6) first, then measurements of the run.</summary>
internal sealed record ReplaySummary
{
    public long Events { get; init; }
    public long DeadLettered { get; init; }
    public long Duplicates { get; init; }
    public long Notifications { get; init; }
    public long Flags { get; init; }
    public double ElapsedSeconds { get; init; }
    public double EventsPerSecond { get; init; }
    public required LatencySummary LatencyMs { get; init; }
    public int Partitions { get; init; }
    public int BatchSize { get; init; }
    public double MaxWaitMs { get; init; }
    public required string Order { get; init; }
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Lines written to each output file, by file name.</summary>
    public required IReadOnlyDictionary<string, long> Outputs { get; init; }
    public long PeakWorkingSetBytes { get; init; }
}

internal sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p99.9")] double P999,
    [property: JsonPropertyName("p99.97")] double P9997);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReplaySummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
