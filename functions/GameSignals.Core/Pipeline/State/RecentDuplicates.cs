namespace GameSignals.Pipeline.State;

/// <summary>
/// The duplicates of the partition's last <see cref="Batches"/> committed batches, by sequence number and key digest, so
/// that a batch redelivered after its append landed (a crash before the checkpoint) counts its duplicates as the first
/// delivery did, instead of calling every event of it a redelivery. Only counts depend on it: the events are skipped
/// either way.
/// </summary>
public sealed class RecentDuplicates
{
    /// <summary>Batches remembered: the host redelivers from the last checkpoint, which trails by one batch or a few.</summary>
    public const int Batches = 16;

    private readonly Queue<List<(long Sequence, ulong Digest)>> _batches = new();
    private readonly Dictionary<(long, ulong), int> _counts = [];
    private List<(long Sequence, ulong Digest)> _current = [];

    /// <summary>Notes a duplicate of the batch being processed.</summary>
    public void Add(long sequence, ulong digest) => _current.Add((sequence, digest));

    /// <summary>How many of the occurrences of this key at this sequence number were duplicates when it was processed.</summary>
    public int CountOf(long sequence, ulong digest) => _counts.GetValueOrDefault((sequence, digest));

    /// <summary>The duplicates of the batch being processed, for its changelog record; <see cref="Remember"/> them once it is written.</summary>
    public List<(long Sequence, ulong Digest)> TakePending()
    {
        var pending = _current;
        _current = [];
        return pending;
    }

    /// <summary>A committed batch's duplicates, from a changelog record or a snapshot.</summary>
    public void Remember(List<(long Sequence, ulong Digest)> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _batches.Enqueue(batch);
        foreach (var pair in batch)
        {
            _counts[pair] = _counts.GetValueOrDefault(pair) + 1;
        }

        while (_batches.Count > Batches)
        {
            foreach (var pair in _batches.Dequeue())
            {
                if (--_counts[pair] == 0)
                {
                    _counts.Remove(pair);
                }
            }
        }
    }

    /// <summary>The remembered batches, oldest first, for a snapshot.</summary>
    public IEnumerable<List<(long Sequence, ulong Digest)>> Remembered() => _batches;
}
