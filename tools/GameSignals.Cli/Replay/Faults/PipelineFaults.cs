using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyPartitionStateStore(IPartitionStateStore inner, FaultInjector faults) : FaultyStore(faults), IPartitionStateStore
{
    public ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken) =>
        Read("partition state load", () => inner.LoadAsync(hub, partition, cancellationToken));

    // A lost race on a conditional append is the store's 412 after an identical write landed: the owner is fenced.
    public ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken) =>
        Conditional("changelog append", () => inner.AppendAsync(hub, partition, frame, expected, cancellationToken), _ => true, _ => throw new ChangelogFencedException("Injected: another writer appended first."));

    public ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken) =>
        Write("state generation start", () => inner.StartGenerationAsync(hub, partition, generation, snapshot, cancellationToken));
}

internal sealed class FaultyDeadLetterStore(IDeadLetterStore inner, FaultInjector faults) : FaultyStore(faults), IDeadLetterStore
{
    public ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken) =>
        Write("dead letter write", () => inner.WriteAsync(deadLetters, cancellationToken));
}
