using System.Text;
using Azure.Messaging.EventHubs;
using GameSignals.Azure.Events;

namespace GameSignals.Integration.Tests.Events;

/// <summary>How a player's recent events are picked out of the hubs' messages (no Event Hubs emulator runs here).</summary>
public sealed class EventHubRecentEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly EventHubRecentEvents.Match U1 = new(Now.AddHours(-1), "odin", "u1");

    [Theory]
    [InlineData(0, 99_999, 5_000, 95_000)] // a busy partition: its newest 5,000 only
    [InlineData(200, 999, 5_000, 200)]     // a quiet one: all it retains
    public void A_partition_is_read_from_its_newest_messages(long beginning, long last, int messages, long expected)
    {
        var partition = EventHubsModelFactory.PartitionProperties("game-events", "3", isEmpty: false, beginning, last, "0", Now);

        Assert.Equal(expected, EventHubRecentEvents.StartSequence(partition, messages));
    }

    [Fact]
    public void The_players_events_of_the_last_hour_are_kept_from_single_events_and_batches_and_poison_is_skipped()
    {
        var batch = Message($"[{Cloud("a", "u1", "12:30:00")},{Cloud("b", "u2", "12:30:01")},{Cloud("c", "u1", "12:30:02")}]", Now.AddMinutes(-10), 7);
        var old = Message(Cloud("d", "u1", "10:00:00"), Now.AddHours(-2), 3);
        var otherGame = Message(Cloud("e", "u1", "12:31:00").Replace("\"gameid\":\"odin\"", "\"gameid\":\"thor\"", StringComparison.Ordinal), Now, 8);
        var poison = Message("{not json", Now, 9);

        var found = new[] { batch, old, otherGame, poison }.SelectMany(m => EventHubRecentEvents.Collect(m, "game-events", "3", U1)).ToList();

        Assert.Equal(["a", "c"], found.Select(e => e.Id));
        Assert.Equal(("game-events", "3", 7L), (found[0].Origin.Hub, found[0].Origin.Partition, found[0].Origin.SequenceNumber));
    }

    [Fact]
    public void The_answer_is_the_last_events_by_time_across_hubs_oldest_first()
    {
        var game = EventHubRecentEvents.Collect(Message($"[{Cloud("g1", "u1", "11:10:00")},{Cloud("g2", "u1", "11:40:00")}]", Now.AddMinutes(-5), 1), "game-events", "0", U1);
        var payment = EventHubRecentEvents.Collect(Message(Cloud("p1", "u1", "11:20:00"), Now.AddMinutes(-5), 1), "payment-events", "1", U1);

        Assert.Equal(["p1", "g2"], EventHubRecentEvents.Latest([.. game, .. payment], 2).Select(e => e.Id));
    }

    private static EventData Message(string body, DateTimeOffset enqueued, long sequence) =>
        EventHubsModelFactory.EventData(new BinaryData(Encoding.UTF8.GetBytes(body)), sequenceNumber: sequence, offsetString: sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), enqueuedTime: enqueued);

    private static string Cloud(string id, string user, string time) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"/games/odin/kr-01","type":"game.session.started","time":"2026-12-03T{{{time}}}Z","gameid":"odin","userid":"{{{user}}}","data":{"platform":"pc","locale":"en-US","clientVersion":"1.0"}}""";
}
