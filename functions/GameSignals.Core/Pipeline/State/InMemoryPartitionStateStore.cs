using System.Globalization;

namespace GameSignals.Pipeline.State;

/// <summary>
/// The in-memory twin of the Blob store for replay and tests: the same conditions (append position and version,
/// create-if-none for a generation's changelog), the same fencing, the same two generations kept. It outlives host
/// instances, as the blobs do.
/// </summary>
public sealed class InMemoryPartitionStateStore : IPartitionStateStore
{
    private readonly Dictionary<(string Hub, string Partition), SortedDictionary<long, Generation>> _partitions = [];
    private readonly Lock _gate = new();

    public ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue((hub, partition), out var generations))
            {
                return ValueTask.FromResult<IReadOnlyList<StoredGeneration>>([]);
            }

            IReadOnlyList<StoredGeneration> stored =
            [
                .. generations.TakeLast(2).Select(g => new StoredGeneration(g.Key, g.Value.Snapshot, g.Value.Bytes(), g.Value.PositionOf(g.Key))),
            ];
            return ValueTask.FromResult(stored);
        }
    }

    public ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            var generations = GenerationsOf(hub, partition);
            var generation = generations.GetValueOrDefault(expected.Generation);
            var current = generation?.PositionOf(expected.Generation) ?? ChangelogPosition.Empty with { Generation = expected.Generation };
            if (current != expected || (generation is null && (expected.Generation != 0 || generations.Count > 0)))
            {
                throw new ChangelogFencedException(
                    $"The changelog of {hub}/{partition} generation {expected.Generation} is at {current.Length} ({current.Version}), not {expected.Length} ({expected.Version}).");
            }

            generation ??= generations[0] = new Generation(null);
            generation.Append(frame.ToArray());
            return ValueTask.FromResult(generation.PositionOf(expected.Generation));
        }
    }

    public ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var generations = GenerationsOf(hub, partition);
            if (generations.ContainsKey(generation))
            {
                throw new ChangelogFencedException($"Generation {generation} of {hub}/{partition} was already started by another owner.");
            }

            var started = generations[generation] = new Generation(snapshot.ToArray()) { Version = 1 };
            foreach (var old in generations.Keys.Where(g => g < generation - 1).ToList())
            {
                generations.Remove(old);
            }

            return ValueTask.FromResult(started.PositionOf(generation));
        }
    }

    /// <summary>Tests: cuts a generation's changelog short by <paramref name="bytes"/>, as a torn append leaves it.</summary>
    public void Truncate(string hub, string partition, long generation, int bytes)
    {
        lock (_gate)
        {
            var stored = _partitions[(hub, partition)][generation];
            var kept = stored.Bytes()[..^bytes];
            stored.Replace(kept);
        }
    }

    /// <summary>Tests: replaces a generation's snapshot bytes, to damage them.</summary>
    public void ReplaceSnapshot(string hub, string partition, long generation, byte[] snapshot)
    {
        lock (_gate)
        {
            _partitions[(hub, partition)][generation].Snapshot = snapshot;
        }
    }

    /// <summary>Tests: the generations stored for a partition.</summary>
    public IReadOnlyList<long> GenerationsStored(string hub, string partition)
    {
        lock (_gate)
        {
            return _partitions.TryGetValue((hub, partition), out var generations) ? [.. generations.Keys] : [];
        }
    }

    private SortedDictionary<long, Generation> GenerationsOf(string hub, string partition)
    {
        if (!_partitions.TryGetValue((hub, partition), out var generations))
        {
            _partitions[(hub, partition)] = generations = [];
        }

        return generations;
    }

    /// <summary>
    /// One generation. The changelog is kept as its appended frames, joined only when read: one growing array would copy
    /// the whole log on every growth, which dominated a long replay's time.
    /// </summary>
    private sealed class Generation(byte[]? snapshot)
    {
        private readonly List<byte[]> _frames = [];
        private long _length;

        public byte[]? Snapshot { get; set; } = snapshot;

        public long Version { get; set; }

        public ChangelogPosition PositionOf(long generation) => new(generation, _length, Version.ToString(CultureInfo.InvariantCulture));

        public void Append(byte[] frame)
        {
            _frames.Add(frame);
            _length += frame.Length;
            Version++;
        }

        public byte[] Bytes()
        {
            var bytes = new byte[_length];
            var offset = 0;
            foreach (var frame in _frames)
            {
                frame.CopyTo(bytes, offset);
                offset += frame.Length;
            }

            return bytes;
        }

        public void Replace(byte[] bytes)
        {
            _frames.Clear();
            _frames.Add(bytes);
            _length = bytes.Length;
        }
    }
}
