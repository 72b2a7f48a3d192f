using System.Globalization;
using System.Text;
using GameSignals.Events;

namespace GameSignals.Core.Tests.Events;

public sealed class RecentEventsTests
{
    private static readonly MessageOrigin Origin = new("game-events", "0", 1, "1", null);

    [Fact]
    public async Task Each_player_keeps_its_last_events_oldest_first_and_a_stranger_has_none()
    {
        var recent = new InMemoryRecentEvents(perPlayer: 3);
        for (var i = 1; i <= 5; i++)
        {
            recent.Add(Event("u1", i));
            recent.Add(Event("u2", i));
        }

        Assert.Equal(["u1-3", "u1-4", "u1-5"], (await recent.ListAsync("odin", "u1", 50, CancellationToken.None)).Select(e => e.Id));
        Assert.Equal(["u2-4", "u2-5"], (await recent.ListAsync("odin", "u2", 2, CancellationToken.None)).Select(e => e.Id));
        Assert.Empty(await recent.ListAsync("odin", "nobody", 50, CancellationToken.None));
        Assert.Empty(await recent.ListAsync("other-game", "u1", 50, CancellationToken.None));
    }

    [Fact]
    public async Task Past_its_player_limit_it_forgets_the_player_heard_from_least_recently()
    {
        var recent = new InMemoryRecentEvents(perPlayer: 2, maxPlayers: 2);
        recent.Add(Event("u1", 1));
        recent.Add(Event("u2", 1));
        recent.Add(Event("u1", 2));
        recent.Add(Event("u3", 1));

        Assert.Equal(2, recent.PlayerCount);
        Assert.Empty(await recent.ListAsync("odin", "u2", 50, CancellationToken.None));
        Assert.Equal(["u1-1", "u1-2"], (await recent.ListAsync("odin", "u1", 50, CancellationToken.None)).Select(e => e.Id));
        Assert.Single(await recent.ListAsync("odin", "u3", 50, CancellationToken.None));
    }

    [Fact]
    public void An_event_written_back_as_a_CloudEvent_decodes_to_the_same_event()
    {
        const string Sent = """
            {"specversion":"1.0","id":"e1","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:00:00.250+09:00",
             "gameid":"odin","userid":"u1","characterid":"c1","server":"kr-01","data":{"hp":12,"maxHp":1600,"autoBattle":true,"note":"é"}}
            """;
        var original = Decode(Encoding.UTF8.GetBytes(Sent));

        var again = Decode(CloudEventJson.Write(original));

        Assert.Equal((original.Key, original.Type, original.Time, original.GameId, original.UserId, original.CharacterId, original.Server),
            (again.Key, again.Type, again.Time, again.GameId, again.UserId, again.CharacterId, again.Server));
        Assert.Equal(original.Payload, again.Payload);
        Assert.Equal(Encoding.UTF8.GetString(original.DataJson.Span), Encoding.UTF8.GetString(again.DataJson.Span));
    }

    private static GameEvent Decode(byte[] json)
    {
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        EventDecoder.Decode(json, Origin, events, dead);
        Assert.Empty(dead);
        return Assert.Single(events);
    }

    private static GameEvent Event(string user, int n) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{user}-{n}"), Source = "/games/odin/kr-01", Type = EventTypes.SessionStarted,
        Time = DateTimeOffset.UnixEpoch.AddMinutes(n), GameId = "odin", UserId = user, Origin = Origin,
    };
}
