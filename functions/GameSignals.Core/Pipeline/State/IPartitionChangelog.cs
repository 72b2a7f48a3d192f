namespace GameSignals.Pipeline.State;

/// <summary>
/// The changelog that makes one partition's in-memory state durable (docs/design.md, "State with its partition"):
/// one record appended per batch, each append conditioned on the position its writer last saw, so an instance whose
/// lease was stolen fails its append (<see cref="ChangelogFencedException"/>) instead of writing twice.
/// </summary>
public interface IPartitionChangelog
{
    /// <summary>Every intact record of the partition's changelog in order, and where the next append goes.</summary>
    ValueTask<ChangelogRead> ReadAsync(string hub, string partition, CancellationToken cancellationToken);

    /// <summary>Appends one record at <paramref name="expected"/>; the position after it.</summary>
    /// <exception cref="ChangelogFencedException">Another writer appended since <paramref name="expected"/>.</exception>
    ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> record, ChangelogPosition expected, CancellationToken cancellationToken);
}

/// <summary>Where a changelog ends: its length in bytes and its version (a blob's ETag; null before the first append).</summary>
public sealed record ChangelogPosition(long Length, string? Version)
{
    public static ChangelogPosition Empty { get; } = new(0, null);
}

/// <summary>
/// What a read found. <see cref="DamagedAt"/> is the byte offset of the first record that is truncated or fails its
/// checksum (null when the whole changelog is intact): the records before it are good, nothing after it is used,
/// and the owner must rebuild from there (the hub's retention), never skip it.
/// </summary>
public sealed record ChangelogRead(IReadOnlyList<ReadOnlyMemory<byte>> Records, ChangelogPosition Next, long? DamagedAt);

/// <summary>Another instance appended to the partition's changelog: this one no longer owns the partition.</summary>
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
