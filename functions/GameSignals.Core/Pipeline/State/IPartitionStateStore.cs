namespace GameSignals.Pipeline.State;

/// <summary>
/// Where one partition's in-memory state is made durable (docs/design.md, "State with its partition"): per generation
/// n, a snapshot (none for generation 0) and a changelog that takes one framed record per batch. Every append is
/// conditioned on the position its writer last saw, and a generation's changelog is created only if none exists, so an
/// instance whose lease was stolen fails (<see cref="ChangelogFencedException"/>) instead of writing twice.
/// </summary>
/// <remarks>
/// The store moves bytes; framing, checksums and what a damaged record means are <see cref="PartitionStates"/>' concern,
/// so the Blob store and its in-memory twin cannot differ in them.
/// </remarks>
public interface IPartitionStateStore
{
    /// <summary>The partition's two newest generations, oldest first (none when the partition has no state yet).</summary>
    ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken);

    /// <summary>Appends one framed record at <paramref name="expected"/>, creating generation 0's changelog on the first append; the position after it.</summary>
    /// <exception cref="ChangelogFencedException">Another writer appended since <paramref name="expected"/>.</exception>
    ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken);

    /// <summary>
    /// Writes generation <paramref name="generation"/>'s snapshot (a framed record), creates its empty changelog only if
    /// none exists, then deletes the generations older than the one before it. The changelog's position. The snapshot's
    /// memory is the store's from then on (the in-memory store keeps it): the caller does not change it.
    /// </summary>
    /// <exception cref="ChangelogFencedException">Another owner already started that generation.</exception>
    ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken);
}

/// <summary>Where a generation's changelog ends: its length in bytes and its version (a blob's ETag; null before it exists).</summary>
public sealed record ChangelogPosition(long Generation, long Length, string? Version)
{
    public static ChangelogPosition Empty { get; } = new(0, 0, null);
}

/// <summary>One generation as stored: its snapshot's bytes (null for generation 0 or when missing), its changelog's bytes and where it ends.</summary>
public sealed record StoredGeneration(long Generation, ReadOnlyMemory<byte>? Snapshot, ReadOnlyMemory<byte> Changelog, ChangelogPosition Next);

/// <summary>Another instance wrote the partition's state: this one no longer owns the partition.</summary>
public sealed class ChangelogFencedException : Exception
{
    public ChangelogFencedException()
    {
    }

    public ChangelogFencedException(string message)
        : base(message)
    {
    }

    public ChangelogFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
