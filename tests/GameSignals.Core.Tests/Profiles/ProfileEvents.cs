using GameSignals.Events;

namespace GameSignals.Tests.Profiles;

/// <summary>Builds decoded events for profile tests: one user, one game, positions on a hub partition.</summary>
internal static class ProfileEvents
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static GameEvent Event(
        EventPayload payload, string type, TimeSpan at, long sequence,
        string userId = "u1", string gameId = "odin", string hub = "game-events", string partition = "0") => new()
        {
            Id = $"{hub}-{partition}-{sequence}",
            Source = "/games/" + gameId,
            Type = type,
            Time = Start + at,
            GameId = gameId,
            UserId = userId,
            Server = "kr-01",
            Payload = payload,
            Origin = new MessageOrigin(hub, partition, sequence, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), null),
        };

    public static GameEvent Pvp(string result, TimeSpan at, long sequence, string userId = "u1") =>
        Event(new PvpMatchEnded(result, 1500), EventTypes.PvpMatchEnded, at, sequence, userId);

    public static GameEvent Session(string platform, TimeSpan at, long sequence, string userId = "u1") =>
        Event(new SessionStarted("10.0.0.1", "d1", platform, "1.0", null, "ko-KR", "KR"), EventTypes.SessionStarted, at, sequence, userId);

    public static GameEvent SessionEnd(double seconds, TimeSpan at, long sequence, string userId = "u1") =>
        Event(new SessionEnded(seconds), EventTypes.SessionEnded, at, sequence, userId);

    public static GameEvent Purchase(decimal price, string currency, TimeSpan at, long sequence, string userId = "u1") =>
        Event(new PurchaseCompleted("o" + sequence, "google_play", "gem", price, currency, "KR", null, default),
            EventTypes.PurchaseCompleted, at, sequence, userId, hub: "payment-events", partition: "3");
}
