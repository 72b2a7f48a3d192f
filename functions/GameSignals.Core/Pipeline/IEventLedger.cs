using GameSignals.Events;

namespace GameSignals.Pipeline;

/// <summary>
/// Remembers which events have been fully processed, by the contract's key <c>(source, id)</c>.
/// An entry is recorded only after every stage has run for its event, so an event whose batch
/// failed half way is not in the ledger and is processed again (the stages are idempotent);
/// an event in the ledger is skipped. The position tells a redelivery of the same message
/// (same hub, partition and sequence number) from a duplicate sent again by a producer.
/// </summary>
public interface IEventLedger
{
    ValueTask<IReadOnlyDictionary<EventKey, LedgerEntry>> FindAsync(IReadOnlyCollection<EventKey> keys, CancellationToken cancellationToken);

    /// <summary>Records entries; an entry already present is left as it is.</summary>
    ValueTask RecordAsync(IReadOnlyCollection<LedgerEntry> entries, CancellationToken cancellationToken);
}

public sealed record LedgerEntry(EventKey Key, string Hub, string Partition, long SequenceNumber, DateTimeOffset EventTime)
{
    public static LedgerEntry For(GameEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Key, e.Origin.Hub, e.Origin.Partition, e.Origin.SequenceNumber, e.Time);
    }

    public bool IsSamePosition(MessageOrigin origin) =>
        origin is not null && Hub == origin.Hub && Partition == origin.Partition && SequenceNumber == origin.SequenceNumber;
}
