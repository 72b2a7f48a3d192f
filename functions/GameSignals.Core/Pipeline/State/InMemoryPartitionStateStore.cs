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
    private readonly Stack<byte[]> _freeChunks = new();
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

            generation ??= generations[0] = new Generation(null, _freeChunks);
            generation.Append(frame.Span);
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

            // Kept as handed over, as the contract lets a store: a copy of a snapshot of millions of keys was 1.1% of a
            // 10M-event replay's late samples, and as much again in the kernel clearing the copy's fresh pages.
            var started = generations[generation] = new Generation(snapshot, _freeChunks) { Version = 1 };
            foreach (var old in generations.Keys.Where(g => g < generation - 1).ToList())
            {
                generations.Remove(old, out var removed);
                removed!.Release();
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
    /// One generation. The changelog is kept in chunks of <see cref="ChunkSize"/> bytes, joined only when read: one growing
    /// array would copy the whole log on every growth, and an array per frame made the collector copy every record as it
    /// aged, which dominated a long replay's time; chunks sit in the large object heap, which it does not move, and
    /// go back to the store's free chunks when their generation is dropped, so a long replay does not fault in fresh memory for each.
    /// </summary>
    private sealed class Generation(ReadOnlyMemory<byte>? snapshot, Stack<byte[]> free)
    {
        private const int ChunkSize = 1 << 20;

        private readonly List<byte[]> _chunks = [];
        private long _length;

        public ReadOnlyMemory<byte>? Snapshot { get; set; } = snapshot;

        public long Version { get; set; }

        public ChangelogPosition PositionOf(long generation) => new(generation, _length, Version.ToString(CultureInfo.InvariantCulture));

        public void Append(ReadOnlySpan<byte> frame)
        {
            Write(frame);
            Version++;
        }

        public byte[] Bytes()
        {
            var bytes = new byte[_length];
            var offset = 0;
            foreach (var chunk in _chunks)
            {
                var count = (int)Math.Min(ChunkSize, _length - offset);
                chunk.AsSpan(0, count).CopyTo(bytes.AsSpan(offset));
                offset += count;
            }

            return bytes;
        }

        public void Replace(byte[] bytes)
        {
            Release();
            Write(bytes);
        }

        /// <summary>Returns the chunks to the free ones; the generation is empty after.</summary>
        public void Release()
        {
            foreach (var chunk in _chunks)
            {
                free.Push(chunk);
            }

            _chunks.Clear();
            _length = 0;
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                var used = (int)(_length % ChunkSize);
                if (used == 0 && _chunks.Count * (long)ChunkSize == _length)
                {
                    _chunks.Add(free.TryPop(out var chunk) ? chunk : new byte[ChunkSize]);
                }

                var count = Math.Min(bytes.Length, ChunkSize - used);
                bytes[..count].CopyTo(_chunks[^1].AsSpan(used));
                bytes = bytes[count..];
                _length += count;
            }
        }
    }
}
