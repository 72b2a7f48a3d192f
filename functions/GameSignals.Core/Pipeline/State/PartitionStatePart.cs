namespace GameSignals.Pipeline.State;

/// <summary>
/// A capability's piece of a partition's state (the notification stage's cooldowns and languages, for example), kept in
/// memory beside the partition and made durable by <see cref="PartitionStates"/>: the changes of each batch go into the
/// partition's changelog record, the whole piece into its snapshots. Not thread-safe: one partition's batches run one at
/// a time.
/// </summary>
public interface IPartitionStatePart
{
    /// <summary>Whether something changed since the last <see cref="WriteChanges"/>.</summary>
    bool HasChanges { get; }

    /// <summary>Writes what changed since the last call, then forgets that it changed.</summary>
    void WriteChanges(BinaryWriter writer);

    /// <summary>Applies changes another instance wrote (recovery from the changelog).</summary>
    void ApplyChanges(BinaryReader reader);

    /// <summary>Writes the whole piece, leaving out what has expired.</summary>
    void WriteSnapshot(BinaryWriter writer);

    /// <summary>Reads a piece <see cref="WriteSnapshot"/> wrote, into an empty part.</summary>
    void ReadSnapshot(BinaryReader reader);
}

/// <summary>
/// A kind of <see cref="IPartitionStatePart"/>, registered once per capability; every partition state gets one of each.
/// The name labels the part's bytes in records and snapshots, so it must not change between versions.
/// </summary>
public sealed record PartitionStatePartType(string Name, Type PartType, Func<IPartitionStatePart> Create);
