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
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long, in event time, the embedded ledger remembers an event: bounds its memory on long streams.</summary>
    public TimeSpan LedgerRetention { get; init; } = ReplayComposition.DefaultLedgerRetention;
}
