using System.ComponentModel.DataAnnotations;

namespace GameSignals.Pipeline.State;

/// <summary>How partition state remembers and how often it is compacted (section <c>PartitionState</c>).</summary>
public sealed class PartitionStateOptions
{
    public const string SectionName = "PartitionState";

    /// <summary>
    /// How long, in event time behind the partition's newest event, an event key is remembered: a duplicate inside it has
    /// no second effect. A day at 42 events/s is about 3.6 million keys, 44 MiB a partition.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "PartitionState:DuplicateWindow must be from 1 second to 30 days.")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A new snapshot after this many changelog records (an append blob takes 50,000 blocks).</summary>
    [Range(1, 40_000, ErrorMessage = "PartitionState:SnapshotEveryRecords must be from 1 to 40,000 (an append blob takes 50,000 blocks).")]
    public int SnapshotEveryRecords { get; set; } = 10_000;

    /// <summary>A new snapshot once the changelog is this long, so that a new owner reads little.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "PartitionState:SnapshotAtBytes must be positive.")]
    public long SnapshotAtBytes { get; set; } = 64L * 1024 * 1024;
}
