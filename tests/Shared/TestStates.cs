using GameSignals.Notifications;
using GameSignals.Profiles;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using GameSignals.Stats;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GameSignals.Tests;

/// <summary>Partition states as the pipeline composes them (every capability's part), over an in-memory store unless one is given.</summary>
internal static class TestStates
{
    public static PartitionStates Over(IPartitionStateStore? store = null, TimeSpan? window = null, int snapshotEveryRecords = 10_000, PipelineMetrics? metrics = null) =>
        new(
            store ?? new InMemoryPartitionStateStore(),
            [NotificationState.Type, ProfileState.Type, MomentState.Type],
            Options.Create(new PartitionStateOptions { DuplicateWindow = window ?? TimeSpan.FromDays(7), SnapshotEveryRecords = snapshotEveryRecords }),
            metrics ?? new PipelineMetrics(),
            NullLogger<PartitionStates>.Instance);

    /// <summary>A partition's state on its own, for a stage driven without the pipeline.</summary>
    public static PartitionState Fresh(string hub = "game-events", string partition = "0") =>
        PartitionState.Create(hub, partition, TimeSpan.FromDays(7), [NotificationState.Type, ProfileState.Type, MomentState.Type]);
}

/// <summary>A state store whose first append fails before it is written, as Blob Storage down after the stages ran.</summary>
internal sealed class AppendFailingOnceStore(IPartitionStateStore inner) : IPartitionStateStore
{
    private int _appends;

    public ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken) =>
        inner.LoadAsync(hub, partition, cancellationToken);

    public ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _appends) == 1
            ? throw new IOException("the changelog is unavailable")
            : inner.AppendAsync(hub, partition, frame, expected, cancellationToken);

    public ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken) =>
        inner.StartGenerationAsync(hub, partition, generation, snapshot, cancellationToken);
}
