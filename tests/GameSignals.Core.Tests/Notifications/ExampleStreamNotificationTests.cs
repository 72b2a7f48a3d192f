using GameSignals.Pipeline;

namespace GameSignals.Core.Tests.Notifications;

public class ExampleStreamNotificationTests
{
    private static readonly HashSet<(string, string, string, string, string, string)> Expected = ExampleStream.Expected.RootElement
        .GetProperty("notifications").EnumerateArray()
        .Select(n => (n.GetProperty("ruleId").GetString()!, n.GetProperty("eventId").GetString()!, n.GetProperty("userId").GetString()!,
            n.GetProperty("locale").GetString()!, n.GetProperty("title").GetString()!, n.GetProperty("body").GetString()!))
        .ToHashSet();

    private static void AssertExactlyExpected(NotificationHarness harness)
    {
        var produced = harness.Memory.All;
        var actual = produced.Select(n => (n.RuleId, n.EventId, n.UserId, n.Locale, n.Title, n.Body)).ToList();
        Assert.Equal(actual.Count, actual.Distinct().Count());
        Assert.Empty(actual.Except(Expected));
        Assert.Empty(Expected.Except(actual));
        Assert.Equal(Expected.Count, produced.Count);

        // One push request per push-channel notification, none twice.
        var pushed = harness.Queue.Requests.Select(r => r.NotificationId).ToList();
        Assert.Equal(pushed.Count, pushed.Distinct().Count());
        Assert.Equal(produced.Where(n => n.ToPush).Select(n => n.Id).Order(), pushed.Order());
    }

    [Fact]
    public async Task The_example_stream_produces_exactly_the_expected_notifications_with_partitions_interleaved()
    {
        var harness = new NotificationHarness(NotificationHarness.ExampleRules);
        await ExampleStream.RunAsync([harness.Stage]);
        AssertExactlyExpected(harness);
    }

    [Fact]
    public async Task The_example_stream_gives_the_same_notifications_with_one_partition_held_back()
    {
        var harness = new NotificationHarness(NotificationHarness.ExampleRules);
        await ExampleStream.RunAsync([harness.Stage], heldBackPartition: 2, batchSize: 50);
        AssertExactlyExpected(harness);
    }

    [Fact]
    public async Task The_example_stream_gives_the_same_notifications_when_every_batch_is_delivered_twice()
    {
        var harness = new NotificationHarness(NotificationHarness.ExampleRules);

        // The stage sees each batch twice, as when the host redelivers a batch that failed after this stage.
        await ExampleStream.RunAsync([new TwiceStage(harness.Stage)], batchSize: 32);
        AssertExactlyExpected(harness);
    }

    private sealed class TwiceStage(IEventStage inner) : IEventStage
    {
        public string Name => inner.Name;

        public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            await inner.ProcessAsync(batch, cancellationToken);
            await inner.ProcessAsync(batch, cancellationToken);
        }
    }
}
