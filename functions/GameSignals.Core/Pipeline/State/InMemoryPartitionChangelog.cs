using System.Globalization;

namespace GameSignals.Pipeline.State;

/// <summary>
/// The in-memory twin of the Blob changelog for replay and tests: the same framing, the same append condition
/// (length and version as last seen), the same fencing. It outlives host instances, as the blob does.
/// </summary>
public sealed class InMemoryPartitionChangelog : IPartitionChangelog
{
    private readonly Dictionary<(string Hub, string Partition), Log> _logs = [];
    private readonly Lock _gate = new();

    public ValueTask<ChangelogRead> ReadAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue((hub, partition), out var log))
            {
                return ValueTask.FromResult(new ChangelogRead([], ChangelogPosition.Empty, null));
            }

            var bytes = log.Bytes.ToArray();
            var (records, damagedAt) = ChangelogFraming.Parse(bytes);
            return ValueTask.FromResult(new ChangelogRead(records, log.Position, damagedAt));
        }
    }

    public ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> record, ChangelogPosition expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        lock (_gate)
        {
            var log = _logs.TryGetValue((hub, partition), out var found) ? found : null;
            var current = log?.Position ?? ChangelogPosition.Empty;
            if (current != expected)
            {
                throw new ChangelogFencedException($"The changelog of {hub}/{partition} is at {current.Length} ({current.Version}), not {expected.Length} ({expected.Version}).");
            }

            log ??= _logs[(hub, partition)] = new Log();
            log.Bytes.AddRange(ChangelogFraming.Frame(record.Span));
            log.Version++;
            return ValueTask.FromResult(log.Position);
        }
    }

    /// <summary>Tests: the stored bytes of a partition's changelog, to damage them.</summary>
    public List<byte> BytesOf(string hub, string partition)
    {
        lock (_gate)
        {
            return _logs[(hub, partition)].Bytes;
        }
    }

    private sealed class Log
    {
        public List<byte> Bytes { get; } = [];

        public long Version { get; set; }

        public ChangelogPosition Position => new(Bytes.Count, Version.ToString(CultureInfo.InvariantCulture));
    }
}
