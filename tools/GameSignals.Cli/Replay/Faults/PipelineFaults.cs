using GameSignals.Events;
using GameSignals.Pipeline;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyEventLedger(IEventLedger inner, FaultInjector faults) : FaultyStore(faults), IEventLedger
{
    public ValueTask<IReadOnlyDictionary<EventKey, LedgerEntry>> FindAsync(IReadOnlyCollection<EventKey> keys, CancellationToken cancellationToken) =>
        Read("ledger find", () => inner.FindAsync(keys, cancellationToken));

    public ValueTask RecordAsync(IReadOnlyCollection<LedgerEntry> entries, CancellationToken cancellationToken) =>
        Write("ledger record", () => inner.RecordAsync(entries, cancellationToken));
}

internal sealed class FaultyDeadLetterStore(IDeadLetterStore inner, FaultInjector faults) : FaultyStore(faults), IDeadLetterStore
{
    public ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken) =>
        Write("dead letter write", () => inner.WriteAsync(deadLetters, cancellationToken));
}
