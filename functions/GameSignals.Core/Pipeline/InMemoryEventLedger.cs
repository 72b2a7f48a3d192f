using GameSignals.Events;

namespace GameSignals.Pipeline;

/// <summary>
/// The embedded ledger of replay and tests. Like the Cosmos container's TTL, entries expire, here
/// measured in event time: an entry older than <see cref="Retention"/> behind the newest recorded
/// event is forgotten, which bounds memory on long streams.
/// </summary>
public sealed class InMemoryEventLedger(TimeSpan retention) : IEventLedger
{
    private readonly Dictionary<EventKey, LedgerEntry> _entries = [];
    private readonly Queue<LedgerEntry> _byArrival = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

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
                if (_entries.TryGetValue(key, out var entry))
                {
                    found[key] = entry;
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
                if (_entries.TryAdd(entry.Key, entry))
                {
                    _byArrival.Enqueue(entry);
                    if (entry.EventTime > _newest)
                    {
                        _newest = entry.EventTime;
                    }
                }
            }

            // Arrival order is close to event-time order; an entry that is late in the queue only lives longer.
            while (_byArrival.TryPeek(out var oldest) && oldest.EventTime < _newest - Retention)
            {
                _byArrival.Dequeue();
                _entries.Remove(oldest.Key);
            }
        }

        return ValueTask.CompletedTask;
    }
}
