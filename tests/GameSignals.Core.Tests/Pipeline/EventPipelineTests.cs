using System.Text;
using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Core.Tests.Pipeline;

public sealed class EventPipelineTests : IDisposable
{
    private readonly InMemoryPartitionStateStore _store = new();
    private readonly InMemoryDeadLetterStore _deadLetters = new();
    private readonly RecordingStage _stage = new();
    private readonly PipelineMetrics _metrics = new();
    private readonly FakeLogger<EventPipeline> _logger = new();

    public void Dispose() => _metrics.Dispose();

    private EventPipeline Pipeline(params IEventStage[] stages) => new(
        stages.Length == 0 ? [_stage] : stages, TestStates.Over(_store, metrics: _metrics), _deadLetters, new StoreRetry(), _metrics,
        new FakeTimeProvider(DateTimeOffset.Parse("2026-11-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
        _logger);

    private static IncomingMessage Message(long sequence, params string[] ids)
    {
        var events = ids.Select(id => $$"""{"specversion":"1.0","id":"{{id}}","source":"/s","type":"game.inventory.full","time":"2026-11-01T11:00:00Z","gameid":"g","userid":"u"}""");
        var body = ids.Length == 1 ? events.Single() : "[" + string.Join(',', events) + "]";
        return new IncomingMessage(Encoding.UTF8.GetBytes(body), new MessageOrigin("game-events", "3", sequence, (sequence * 100).ToString(System.Globalization.CultureInfo.InvariantCulture), null));
    }

    [Fact]
    public async Task A_batch_runs_its_events_through_every_stage_in_order()
    {
        var second = new RecordingStage();
        var result = await Pipeline(_stage, second).ProcessMessagesAsync("game-events", "3", [Message(1, "a", "b"), Message(2, "c")], default);

        Assert.Equal(new BatchResult(3, 3, 0, 0, 0), result);
        Assert.Equal(["a", "b", "c"], _stage.Seen);
        Assert.Equal(["a", "b", "c"], second.Seen);
        Assert.True(_stage.LastCall < second.LastCall);
    }

    [Fact]
    public async Task A_duplicate_event_has_no_second_effect_within_or_across_batches()
    {
        var pipeline = Pipeline();
        var first = await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a", "a")], default);
        var second = await pipeline.ProcessMessagesAsync("game-events", "3", [Message(7, "a", "b")], default);

        Assert.Equal(1, first.Duplicates);
        Assert.Equal(1, second.Duplicates);
        Assert.Equal(["a", "b"], _stage.Seen);
    }

    [Fact]
    public async Task A_redelivered_batch_is_not_processed_again_and_is_not_counted_as_duplicates()
    {
        var pipeline = Pipeline();
        await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a"), Message(2, "b")], default);
        var again = await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a"), Message(2, "b")], default);

        Assert.Equal(new BatchResult(2, 0, 0, 0, 2), again);
        Assert.Equal(["a", "b"], _stage.Seen);
    }

    [Fact]
    public async Task A_batch_that_fails_in_a_stage_throws_and_is_processed_in_full_when_redelivered()
    {
        var failing = new RecordingStage { FailOnce = true };
        var pipeline = Pipeline(_stage, failing);

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a", "b")], default).AsTask());
        Assert.Equal(0, await RememberedAsync());

        var retry = await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a", "b")], default);
        Assert.Equal(2, retry.Processed);
        Assert.Equal(["a", "b", "a", "b"], _stage.Seen); // stage effects must be idempotent: they see the batch again
        Assert.Equal(2, await RememberedAsync());
    }

    [Fact]
    public async Task A_new_owner_of_the_partition_skips_what_the_old_one_committed_and_catches_its_duplicates()
    {
        await Pipeline().ProcessMessagesAsync("game-events", "3", [Message(1, "a"), Message(2, "b")], default);

        // Another instance takes the partition: it loads the state from the store, and the host redelivers from the checkpoint.
        var result = await Pipeline().ProcessMessagesAsync("game-events", "3", [Message(1, "a"), Message(2, "b"), Message(3, "a", "c")], default);

        Assert.Equal(new BatchResult(4, 1, 0, 1, 2), result);
        Assert.Equal(["a", "b", "c"], _stage.Seen);
    }

    [Fact]
    public async Task A_batch_of_only_redeliveries_appends_nothing()
    {
        var pipeline = Pipeline();
        await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a")], default);
        var length = (await _store.LoadAsync("game-events", "3", default))[^1].Changelog.Length;

        await pipeline.ProcessMessagesAsync("game-events", "3", [Message(1, "a")], default);

        Assert.Equal(length, (await _store.LoadAsync("game-events", "3", default))[^1].Changelog.Length);
    }

    /// <summary>How many event keys partition 3's durable state remembers, as a new owner would load it.</summary>
    private async Task<int> RememberedAsync() =>
        (await TestStates.Over(_store).AcquireAsync("game-events", "3", default)).Window.Count;

    [Fact]
    public async Task Poison_is_dead_lettered_with_its_position_counted_and_logged_with_its_reason_and_never_stops_the_rest_of_the_batch()
    {
        using var deadLettered = new MetricCollector<long>(_metrics.DeadLetters);
        var poison = new IncomingMessage("{not json"u8.ToArray(), new MessageOrigin("game-events", "3", 5, "500", null));
        var result = await Pipeline().ProcessMessagesAsync("game-events", "3", [Message(4, "a"), poison, Message(6, "b")], default);

        Assert.Equal(2, result.Processed);
        var letter = Assert.Single(_deadLetters.All);
        Assert.Equal(DeadLetterReasons.InvalidJson, letter.Reason);
        Assert.Equal(("3", 5L, "500"), (letter.Origin.Partition, letter.Origin.SequenceNumber, letter.Origin.Offset));
        Assert.Equal("{not json", Encoding.UTF8.GetString(letter.Body.Span));
        Assert.Equal(["a", "b"], _stage.Seen);
        var measurement = Assert.Single(deadLettered.GetMeasurementSnapshot());
        Assert.Equal((DeadLetterReasons.InvalidJson, "game-events"), (measurement.Tags["reason"], measurement.Tags["hub"]));
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(DeadLetterReasons.InvalidJson, log.GetStructuredStateValue("Reason"));
    }

    private sealed class RecordingStage : IEventStage
    {
        private static long _calls;

        public List<string> Seen { get; } = [];

        public bool FailOnce { get; set; }

        public long LastCall { get; private set; }

        public string Name => "recording";

        public ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            LastCall = Interlocked.Increment(ref _calls);
            if (FailOnce)
            {
                FailOnce = false;
                throw new TimeoutException("store timed out");
            }

            Seen.AddRange(batch.Events.Select(e => e.Id));
            return ValueTask.CompletedTask;
        }
    }
}
