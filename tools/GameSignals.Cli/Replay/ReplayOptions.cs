namespace GameSignals.Cli.Replay;

/// <summary>How replay feeds partitions to the pipeline.</summary>
internal enum ReplayOrder
{
    /// <summary>Partitions take turns batch by batch as lines arrive.</summary>
    Interleaved,

    /// <summary>One partition lags: its batches are processed only after the whole stream.</summary>
    HeldBack,
}

/// <summary>The arguments of <c>replay</c>.</summary>
internal sealed record ReplayOptions(
    IReadOnlyList<string> EventFiles,
    string ConfigDirectory,
    string OutDirectory,
    int Partitions = 4,
    int BatchSize = 100,
    ReplayOrder Order = ReplayOrder.Interleaved,
    int HeldBackPartition = 0,
    bool WithStages = true)
{
    /// <summary>How long a partial batch may wait for more events before it is processed anyway.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(ReplayComposition.DefaultMaxWaitMilliseconds);

    /// <summary>How long, in event time, a partition's state remembers an event's key: bounds its memory on long streams.</summary>
    public TimeSpan DuplicateWindow { get; init; } = ReplayComposition.DefaultDuplicateWindow;

    /// <summary>The share of store calls that fail as Azure's do (429, 503, timeouts, lost races); 0 for none.</summary>
    public double FaultRate { get; init; }

    /// <summary>Every this many batches, the host instance dies mid-batch; 0 for never.</summary>
    public int CrashEvery { get; init; }

    /// <summary>Seeds the faults and crash points, so a run can be repeated.</summary>
    public int FaultSeed { get; init; } = 1;
}
