using System.Diagnostics;
using System.Runtime;
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

    /// <summary>What shadow rules would have sent (<c>shadow-notifications.jsonl</c>), apart from <see cref="Notifications"/>.</summary>
    public long ShadowNotifications { get; init; }

    /// <summary>What the stats stage did (moments, sent, would have received, not sent for want of peers, peer look-ups).</summary>
    public required StatsSummary Stats { get; init; }

    public required LatencySummary LatencyMs { get; init; }
    public int Partitions { get; init; }
    public int BatchSize { get; init; }
    public double MaxWaitMs { get; init; }
    public required string Order { get; init; }
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Lines written to each output file, by file name.</summary>
    public required IReadOnlyDictionary<string, long> Outputs { get; init; }
    public long PeakWorkingSetBytes { get; init; }

    /// <summary>What the run cost the garbage collector: where CPU per event goes besides the stages.</summary>
    public required MemorySummary Memory { get; init; }

    /// <summary>The process's CPU time and the JIT's part of it: a fixed cost of each run, which a short one divides among few events.</summary>
    public required CpuSummary Cpu { get; init; }

    public required ReliabilitySummary Reliability { get; init; }
}

/// <summary>
/// Bytes allocated over the run (the same for the same stream and options, unlike times), collections per generation,
/// and the time the process was paused for them.
/// </summary>
internal sealed record MemorySummary(long AllocatedBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, double GcPauseSeconds)
{
    public static MemorySummary Now() => new(
        GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        Math.Round(GC.GetTotalPauseDuration().TotalSeconds, 3));
}

/// <summary>
/// CPU seconds of the process up to the end of the run (every thread: reading, stages, the JIT, the collector), and the
/// JIT's compile time and methods among them: the optimised recompilation of the hot methods takes a second or two of
/// each process, which a million events feel and ten million hardly do.
/// </summary>
internal sealed record CpuSummary(double ProcessSeconds, double JitSeconds, long JitMethods)
{
    public static CpuSummary Now()
    {
        using var process = Process.GetCurrentProcess();
        return new(
            Math.Round(process.TotalProcessorTime.TotalSeconds, 3),
            Math.Round(JitInfo.GetCompilationTime().TotalSeconds, 3),
            JitInfo.GetCompiledMethodCount());
    }
}

/// <summary>What <c>--fault-rate</c> and <c>--crash-every</c> did to the run, which changed none of its outputs.</summary>
internal sealed record ReliabilitySummary
{
    public double FaultRate { get; init; }
    public int CrashEvery { get; init; }

    /// <summary>Store calls that failed, by kind (throttled, unavailable, timeoutBeforeWrite, timeoutAfterWrite, lostRace).</summary>
    public required IReadOnlyDictionary<string, long> FaultsInjected { get; init; }

    /// <summary>Host instances that died mid-batch.</summary>
    public long Crashes { get; init; }

    /// <summary>Batch deliveries after the first (after a crash, or a failure that outlasted the store retries).</summary>
    public long Redeliveries { get; init; }

    /// <summary>Events a redelivery found already done (at or below their partition's watermark).</summary>
    public long RedeliveredEvents { get; init; }

    /// <summary>Push requests for notifications with the push channel (the sender delivers a repeat once).</summary>
    public required AtLeastOnceSummary PushRequests { get; init; }

    /// <summary>Block actions published for block flags (message id = flag id, so consumers drop repeats).</summary>
    public required AtLeastOnceSummary FraudActions { get; init; }
}

/// <summary>
/// A message sent at least once per effect: <c>expected</c> effects, how many of them have a message
/// (<c>covered</c>; fewer would be a loss) and the messages <c>sent</c> (more than covered are repeats).
/// </summary>
internal sealed record AtLeastOnceSummary(long Expected, long Covered, long Sent)
{
    public static AtLeastOnceSummary Of(IEnumerable<string> expectedIds, IReadOnlyCollection<string> sentIds)
    {
        var expected = expectedIds.ToHashSet(StringComparer.Ordinal);
        return new(expected.Count, sentIds.Where(expected.Contains).Distinct(StringComparer.Ordinal).LongCount(), sentIds.Count);
    }
}

internal sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p99.9")] double P999,
    [property: JsonPropertyName("p99.97")] double P9997);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReplaySummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
