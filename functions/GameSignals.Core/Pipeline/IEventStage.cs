using GameSignals.Events;
using GameSignals.Pipeline.State;

namespace GameSignals.Pipeline;

/// <summary>
/// One step of processing (notifications, fraud, profiles). Stages run in order over each batch.
/// Every effect a stage has must be idempotent: a batch can be delivered again after a failure.
/// A stage throws only for transient infrastructure failures, which make the host redeliver the batch.
/// </summary>
public interface IEventStage
{
    string Name { get; }

    ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken);
}

/// <summary>
/// The new (not yet processed) events of one partition's batch, in partition order, and the partition's state, which the
/// stages read and change in memory (the pipeline makes the changes durable after the last stage).
/// </summary>
public sealed record EventBatch(string Hub, string Partition, IReadOnlyList<GameEvent> Events, PartitionState State);

/// <summary>One Event Hubs message as the trigger delivers it.</summary>
public readonly record struct IncomingMessage(ReadOnlyMemory<byte> Body, MessageOrigin Origin);

/// <summary>What became of a batch.</summary>
public sealed record BatchResult(int Events, int Processed, int DeadLettered, int Duplicates, int Redelivered);

/// <summary>
/// A stage that holds effects in the partition's state and writes them out later (profiles): before replay ends, or
/// an instance stops, it writes out everything it holds.
/// </summary>
public interface IFlushingStage
{
    /// <summary>Writes out what the partition's state holds; <paramref name="batch"/> has no events.</summary>
    ValueTask FlushAsync(EventBatch batch, CancellationToken cancellationToken);
}
