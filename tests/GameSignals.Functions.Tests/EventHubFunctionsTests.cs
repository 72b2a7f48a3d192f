using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GameSignals.Events;
using GameSignals.Functions.Intake;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Functions.Tests;

/// <summary>
/// The Event Hubs functions invoked as the host invokes them: message bodies as <c>byte[][]</c>, and
/// the partition and each message's position in the binding data, as JSON text.
/// </summary>
public sealed class EventHubFunctionsTests
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 1, 12, 0, 5, TimeSpan.Zero);

    private readonly RecordingStage _stage = new();
    private readonly InMemoryDeadLetterStore _deadLetters = new();

    [Fact]
    public async Task A_game_batch_reaches_the_stages_with_the_partition_and_positions_the_host_sent()
    {
        var functions = Functions();
        string[] bodies = [Event("e1", "u1"), Event("e2", "u1")];

        await functions.GameEventsAsync(Bytes(bodies), Context("game-events", "3", [(41, 8192), (42, 8448)]));

        var batch = Assert.Single(_stage.Batches);
        Assert.Equal(("game-events", "3"), (batch.Hub, batch.Partition));
        Assert.Equal(["e1", "e2"], batch.Events.Select(e => e.Id));
        Assert.Equal(new MessageOrigin("game-events", "3", 41, "8192", Enqueued), batch.Events[0].Origin);
        Assert.Equal(new MessageOrigin("game-events", "3", 42, "8448", Enqueued.AddSeconds(1)), batch.Events[1].Origin);
    }

    [Fact]
    public async Task A_payment_batch_is_processed_as_the_payment_hub()
    {
        var functions = Functions();

        await functions.PaymentEventsAsync(Bytes([Event("p1", "u2", "payment.purchase.refunded")]), Context("payment-events", "0", [(7, 100)]));

        var batch = Assert.Single(_stage.Batches);
        Assert.Equal(("payment-events", "0"), (batch.Hub, batch.Partition));
        Assert.Equal(new MessageOrigin("payment-events", "0", 7, "100", Enqueued), Assert.Single(batch.Events).Origin);
    }

    [Fact]
    public async Task A_poison_message_is_dead_lettered_with_its_position_and_the_rest_of_the_batch_goes_on()
    {
        var functions = Functions();
        string[] bodies = [Event("e1", "u1"), "{ not json", Event("e3", "u1")];

        await functions.GameEventsAsync(Bytes(bodies), Context("game-events", "5", [(10, 1000), (11, 1100), (12, 1200)]));

        Assert.Equal(["e1", "e3"], Assert.Single(_stage.Batches).Events.Select(e => e.Id));
        var letter = Assert.Single(_deadLetters.All);
        Assert.Equal(DeadLetterReasons.InvalidJson, letter.Reason);
        Assert.Equal(("game-events", "5", 11L, "1100"), (letter.Origin.Hub, letter.Origin.Partition, letter.Origin.SequenceNumber, letter.Origin.Offset));
        Assert.Equal("{ not json"u8.ToArray(), letter.Body.ToArray());
    }

    [Fact]
    public async Task Offsets_sent_as_text_and_times_without_a_zone_are_read_as_the_same_position()
    {
        // Extension versions differ: newer ones send the offset as a string, and DateTime values may lack a zone.
        var functions = Functions();
        var systemProperties = """[{"SequenceNumber":9,"Offset":"77","EnqueuedTimeUtc":"2026-11-01T12:00:05","PartitionKey":"u1"}]""";

        await functions.GameEventsAsync(Bytes([Event("e1", "u1")]), Context(PartitionContext("game-events", "2"), systemProperties));

        Assert.Equal(new MessageOrigin("game-events", "2", 9, "77", Enqueued), Assert.Single(Assert.Single(_stage.Batches).Events).Origin);
    }

    [Fact]
    public async Task A_redelivered_batch_reaches_the_stages_once()
    {
        var functions = Functions();
        var bodies = Bytes([Event("e1", "u1")]);

        await functions.GameEventsAsync(bodies, Context("game-events", "1", [(3, 30)]));
        await functions.GameEventsAsync(bodies, Context("game-events", "1", [(3, 30)]));

        Assert.Single(_stage.Batches);
    }

    [Fact]
    public async Task A_dead_letter_store_failure_fails_the_invocation_so_the_host_retries_the_batch()
    {
        var functions = Functions(new FailingDeadLetterStore());

        await Assert.ThrowsAsync<IOException>(() =>
            functions.GameEventsAsync(Bytes([Event("e1", "u1"), "[1, 2"]), Context("game-events", "0", [(1, 10), (2, 20)])));

        Assert.Empty(_stage.Batches);
    }

    [Fact]
    public async Task A_batch_without_positions_is_refused_rather_than_processed_at_unknown_positions()
    {
        var functions = Functions();
        var bindingData = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["PartitionContext"] = PartitionContext("game-events", "0") };

        await Assert.ThrowsAsync<InvalidOperationException>(() => functions.GameEventsAsync(Bytes([Event("e1", "u1")]), new TestFunctionContext(bindingData)));

        Assert.Empty(_stage.Batches);
    }

    private EventHubFunctions Functions(IDeadLetterStore? deadLetters = null) =>
        new(new EventPipeline(
            [_stage], TestStates.Over(), deadLetters ?? _deadLetters, new StoreRetry(),
            new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance));

    private static string Event(string id, string user, string type = "game.session.ended") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"/games/odin/kr-01","type":"{{{type}}}","time":"2026-11-01T12:00:00Z","gameid":"odin","userid":"{{{user}}}","data":{"durationSeconds":60,"orderId":"o1","store":"pc","reason":"r"}}""";

    private static byte[][] Bytes(string[] bodies) => [.. bodies.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Binding data as the Event Hubs extension writes it, one enqueue per second from <see cref="Enqueued"/>.</summary>
    internal static TestFunctionContext Context(string hub, string partition, (long Sequence, long Offset)[] positions)
    {
        var systemProperties = positions.Select((p, i) => new Dictionary<string, object>
        {
            ["x-opt-sequence-number"] = p.Sequence,
            ["x-opt-offset"] = p.Offset.ToString(CultureInfo.InvariantCulture),
            ["x-opt-enqueued-time"] = Enqueued.AddSeconds(i),
            ["SequenceNumber"] = p.Sequence,
            ["Offset"] = p.Offset,
            ["PartitionKey"] = "u1",
            ["EnqueuedTimeUtc"] = Enqueued.AddSeconds(i).UtcDateTime,
        });
        return Context(PartitionContext(hub, partition), JsonSerializer.Serialize(systemProperties));
    }

    private static TestFunctionContext Context(string partitionContext, string systemPropertiesArray) =>
        new(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["PartitionContext"] = partitionContext,
            ["SystemPropertiesArray"] = systemPropertiesArray,
        });

    private static string PartitionContext(string hub, string partition) => JsonSerializer.Serialize(new
    {
        FullyQualifiedNamespace = "gamesignals.servicebus.windows.net",
        EventHubName = hub,
        ConsumerGroup = "gamesignals",
        PartitionId = partition,
    });

    private sealed class RecordingStage : IEventStage
    {
        public ConcurrentQueue<EventBatch> Batches { get; } = new();

        public string Name => "recording";

        public ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue(batch);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingDeadLetterStore : IDeadLetterStore
    {
        public ValueTask WriteAsync(IReadOnlyList<DeadLetter> deadLetters, CancellationToken cancellationToken) =>
            throw new IOException("the blob service is unavailable");
    }
}
