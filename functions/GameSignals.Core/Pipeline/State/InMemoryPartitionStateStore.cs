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
                .. generations.TakeLast(2).Select(g => new StoredGeneration(g.Key, g.Value.Snapshot, g.Value.Changelog.ToArray(), g.Value.PositionOf(g.Key))),
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
            generation.Changelog.AddRange(frame.Span);
            generation.Version++;
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

    /// <summary>Tests: the stored bytes of a generation's changelog or snapshot, to damage them.</summary>
    public List<byte> ChangelogOf(string hub, string partition, long generation)
    {
        lock (_gate)
        {
            return _partitions[(hub, partition)][generation].Changelog;
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

    private sealed class Generation(byte[]? snapshot)
    {
        public byte[]? Snapshot { get; set; } = snapshot;

        public List<byte> Changelog { get; } = [];

        public long Version { get; set; }

        public ChangelogPosition PositionOf(long generation) => new(generation, Changelog.Count, Version.ToString(CultureInfo.InvariantCulture));
    }
}
