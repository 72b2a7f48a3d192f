using System.Buffers.Binary;
using System.Security.Cryptography;
using GameSignals.Events;

namespace GameSignals.Pipeline;

/// <summary>
/// The embedded ledger of replay and tests. Like the Cosmos container's TTL, entries expire, here
/// measured in event time: an entry older than <see cref="Retention"/> behind the newest recorded
/// event is forgotten.
/// </summary>
/// <remarks>
/// Every event processed within the retention stays (a replayed stream rarely spans it), so entries
/// are compact and hold no reference: the key is a 128-bit digest of <c>(source, id)</c> and the
/// position an index into the few (hub, partition) pairs seen, about 70 bytes an event in all instead
/// of two strings and an object. The garbage collector does not trace such arrays, so millions of
/// entries cost no collection time either.
/// </remarks>
public sealed class InMemoryEventLedger(TimeSpan retention) : IEventLedger
{
    private readonly Dictionary<KeyDigest, Position> _entries = [];
    private readonly Queue<KeyDigest> _byArrival = new();
    private readonly List<(string Hub, string Partition)> _places = [];
    private readonly Lock _gate = new();
    private long _newestTicks; // DateTimeOffset.MinValue

    public TimeSpan Retention { get; } = retention;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public ValueTask<IReadOnlyDictionary<EventKey, LedgerEntry>> FindAsync(IReadOnlyCollection<EventKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<EventKey, LedgerEntry>();
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_entries.TryGetValue(KeyDigest.Of(key), out var position))
                {
                    var (hub, partition) = _places[position.Place];
                    found[key] = new LedgerEntry(key, hub, partition, position.SequenceNumber, new DateTimeOffset(position.EventTicks, TimeSpan.Zero));
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<EventKey, LedgerEntry>>(found);
    }

    public ValueTask RecordAsync(IReadOnlyCollection<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var digest = KeyDigest.Of(entry.Key);
                var ticks = entry.EventTime.UtcTicks;
                if (_entries.TryAdd(digest, new Position(PlaceOf(entry.Hub, entry.Partition), entry.SequenceNumber, ticks)))
                {
                    _byArrival.Enqueue(digest);
                    _newestTicks = Math.Max(_newestTicks, ticks);
                }
            }

            // Arrival order is close to event-time order; an entry that is late in the queue only lives longer.
            var horizon = _newestTicks - Retention.Ticks;
            while (_byArrival.TryPeek(out var oldest) && _entries[oldest].EventTicks < horizon)
            {
                _entries.Remove(_byArrival.Dequeue());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The index of a (hub, partition) pair; a host has a few dozen at most, so a list scan is enough.</summary>
    private int PlaceOf(string hub, string partition)
    {
        for (var i = 0; i < _places.Count; i++)
        {
            if (_places[i].Hub == hub && _places[i].Partition == partition)
            {
                return i;
            }
        }

        _places.Add((hub, partition));
        return _places.Count - 1;
    }

    private readonly record struct Position(int Place, long SequenceNumber, long EventTicks);

    /// <summary>
    /// The first 128 bits of the SHA-256 of <c>(source, id)</c>: collision-resistant, so no producer can
    /// make a fresh event look like one already processed.
    /// </summary>
    private readonly record struct KeyDigest(ulong Low, ulong High)
    {
        public static KeyDigest Of(EventKey key) => EventKeyBytes.Hash(key, 0, static (text, _) =>
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(text, hash);
            return new KeyDigest(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
        });
    }
}
