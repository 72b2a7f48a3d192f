using System.Text;
using GameSignals.Events;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Core.Tests.Pipeline.State;

/// <summary>
/// A partition's state through the pipeline and the in-memory twin of the Blob store: what a new owner recovers, what a
/// fenced owner cannot do, each crash point of a batch, and damage found on load.
/// </summary>
public sealed class PartitionStatesTests
{
    private const string Hub = "game-events";
    private const string Partition = "3";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly InMemoryPartitionStateStore _store = new();
    private readonly RecordingStage _stage = new();

    [Fact]
    public async Task A_new_owner_recovers_keys_watermark_cooldowns_and_languages_from_snapshots_and_the_changelog_after_them()
    {
        // A snapshot every 2 records: 5 batches leave generation 2's snapshot and its changelog.
        var first = Pipeline(snapshotEvery: 2);
        for (var i = 1; i <= 5; i++)
        {
            await first.ProcessMessagesAsync(Hub, Partition, [Message(i, $"e{i}")], None);
        }

        Assert.Equal([1L, 2L], _store.GenerationsStored(Hub, Partition));

        var recovered = await States().AcquireAsync(Hub, Partition, None);
        Assert.Equal(5, recovered.Watermark);
        Assert.Equal(5, recovered.Window.Count);
        Assert.True(recovered.Window.Contains(new EventKey("/s", "e1")));
        Assert.Equal("ko", recovered.Part<NotificationState>().Locale("g", "u")?.Language);
        Assert.Equal("n-e5", recovered.Part<NotificationState>().Cooldown(new CooldownKey("g", "r", "u"))?.NotificationId);
        Assert.Equal(1, recovered.Part<NotificationState>().CooldownCount);
    }

    [Fact]
    public async Task An_owner_whose_lease_was_stolen_is_fenced_drops_its_state_and_lands_nothing()
    {
        var oldOwner = Pipeline();
        await oldOwner.ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None);

        // A second instance takes the partition over and processes the next batch first.
        var newOwner = Pipeline();
        await newOwner.ProcessMessagesAsync(Hub, Partition, [Message(2, "b")], None);

        // The old owner still holds its state in memory and processes the same batch: its append is fenced.
        await Assert.ThrowsAsync<ChangelogFencedException>(() => oldOwner.ProcessMessagesAsync(Hub, Partition, [Message(2, "b")], None).AsTask());

        // The durable state is the new owner's alone; the old owner, given the batch again, reloads it and skips it.
        var again = await oldOwner.ProcessMessagesAsync(Hub, Partition, [Message(2, "b"), Message(3, "c")], None);
        Assert.Equal(new BatchResult(2, 1, 0, 0, 1), again);
        var durable = await States().AcquireAsync(Hub, Partition, None);
        Assert.Equal((3L, 3), (durable.Watermark, durable.Window.Count));
    }

    [Fact]
    public async Task Two_new_owners_cannot_both_start_the_next_generation()
    {
        var a = await States().AcquireAsync(Hub, Partition, None);
        await _store.StartGenerationAsync(Hub, Partition, 1, ChangelogFraming.Frame([1]), None);

        await Assert.ThrowsAsync<ChangelogFencedException>(() => _store.StartGenerationAsync(Hub, Partition, 1, ChangelogFraming.Frame([2]), None).AsTask());
        // An owner still at generation 0 cannot append once another generation exists.
        a.Window.Add(new EventKey("/s", "late"), DateTimeOffset.UnixEpoch);
        await Assert.ThrowsAsync<ChangelogFencedException>(() => States().CommitAsync(a, None).AsTask());
    }

    [Fact]
    public async Task A_crash_after_the_append_and_before_the_checkpoint_redelivers_a_batch_the_new_owner_skips()
    {
        await Pipeline().ProcessMessagesAsync(Hub, Partition, [Message(1, "a"), Message(2, "b")], None);

        // The instance dies before the host checkpoints: a new one gets the batch from the old checkpoint.
        var result = await Pipeline().ProcessMessagesAsync(Hub, Partition, [Message(1, "a"), Message(2, "b")], None);

        Assert.Equal(new BatchResult(2, 0, 0, 0, 2), result);
        Assert.Equal(["a", "b"], _stage.Seen);
    }

    [Fact]
    public async Task A_crash_before_the_append_leaves_no_trace_in_the_state_and_the_batch_runs_again_in_full()
    {
        var crashing = new EventPipeline([_stage], States(new AppendFailingOnceStore(_store)), new InMemoryDeadLetterStore(), new StoreRetry(), new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);
        await Assert.ThrowsAsync<IOException>(() => crashing.ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None).AsTask());

        var result = await crashing.ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None);

        Assert.Equal(1, result.Processed);
        Assert.Equal(["a", "a"], _stage.Seen); // the stages' effects are idempotent, so running them again is safe
        Assert.Equal(1, (await States().AcquireAsync(Hub, Partition, None)).Window.Count);
    }

    [Fact]
    public async Task A_torn_changelog_record_is_detected_counted_and_the_state_rebuilt_from_the_records_before_it_in_a_new_generation()
    {
        var pipeline = Pipeline();
        await pipeline.ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None);
        await pipeline.ProcessMessagesAsync(Hub, Partition, [Message(2, "b")], None);
        _store.Truncate(Hub, Partition, 0, 5); // the second append torn

        using var metrics = new PipelineMetrics();
        using var damaged = new MetricCollector<long>(metrics.StateDamaged);
        var recovered = await States(metrics: metrics).AcquireAsync(Hub, Partition, None);

        Assert.Equal((1L, 1), (recovered.Watermark, recovered.Window.Count));
        Assert.Single(damaged.GetMeasurementSnapshot());
        // The damaged bytes are never appended to: the recovered state is generation 1's snapshot.
        Assert.Equal([0L, 1L], _store.GenerationsStored(Hub, Partition));
        Assert.Equal(1, (await States().AcquireAsync(Hub, Partition, None)).Window.Count);
    }

    [Fact]
    public async Task A_damaged_newest_snapshot_falls_back_to_the_previous_generation_and_loses_nothing()
    {
        var pipeline = Pipeline(snapshotEvery: 2);
        for (var i = 1; i <= 5; i++)
        {
            await pipeline.ProcessMessagesAsync(Hub, Partition, [Message(i, $"e{i}")], None);
        }

        _store.ReplaceSnapshot(Hub, Partition, 2, [1, 2, 3]);
        var recovered = await States().AcquireAsync(Hub, Partition, None);

        Assert.Equal((5L, 5), (recovered.Watermark, recovered.Window.Count));
        Assert.Equal("ko", recovered.Part<NotificationState>().Locale("g", "u")?.Language);
    }

    [Fact]
    public async Task A_crash_between_the_seal_and_the_next_snapshot_is_finished_by_the_next_owner()
    {
        var pipeline = new EventPipeline([_stage], States(new SnapshotFailingStore(_store), snapshotEvery: 1), new InMemoryDeadLetterStore(), new StoreRetry(), new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);
        await Assert.ThrowsAsync<IOException>(() => pipeline.ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None).AsTask());

        // The batch's record and the seal landed; a new owner starts generation 1 itself and skips the batch.
        var result = await Pipeline().ProcessMessagesAsync(Hub, Partition, [Message(1, "a")], None);

        Assert.Equal(1, result.Redelivered);
        Assert.Equal([0L, 1L], _store.GenerationsStored(Hub, Partition));
    }

    private PartitionStates States(IPartitionStateStore? store = null, int snapshotEvery = 10_000, PipelineMetrics? metrics = null) =>
        TestStates.Over(store ?? _store, snapshotEveryRecords: snapshotEvery, metrics: metrics);

    private EventPipeline Pipeline(int snapshotEvery = 10_000) =>
        new([_stage], States(snapshotEvery: snapshotEvery), new InMemoryDeadLetterStore(), new StoreRetry(), new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);

    private static IncomingMessage Message(long sequence, string id)
    {
        var body = $$"""{"specversion":"1.0","id":"{{id}}","source":"/s","type":"game.inventory.full","time":"2026-11-01T11:00:{{sequence:D2}}Z","gameid":"g","userid":"u"}""";
        return new IncomingMessage(Encoding.UTF8.GetBytes(body), new MessageOrigin(Hub, Partition, sequence, (sequence * 100).ToString(System.Globalization.CultureInfo.InvariantCulture), null));
    }

    /// <summary>Sees each event, and opens a cooldown and learns a language as the notification stage would.</summary>
    private sealed class RecordingStage : IEventStage
    {
        public List<string> Seen { get; } = [];

        public string Name => "recording";

        public ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            var state = batch.State.Part<NotificationState>();
            foreach (var e in batch.Events)
            {
                Seen.Add(e.Id);
                state.SetLocale(e.GameId, e.UserId, new PlayerLocale("ko", e.Time));
                state.OpenCooldown(new CooldownRecord(new CooldownKey(e.GameId, "r", e.UserId), "n-" + e.Id, e.Time, e.Time.AddMinutes(5)));
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Starting a generation fails before the snapshot is written: an instance dying after the seal.</summary>
    private sealed class SnapshotFailingStore(IPartitionStateStore inner) : IPartitionStateStore
    {
        public ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken) =>
            inner.LoadAsync(hub, partition, cancellationToken);

        public ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken) =>
            inner.AppendAsync(hub, partition, frame, expected, cancellationToken);

        public ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken) =>
            throw new IOException("the instance died");
    }
}
