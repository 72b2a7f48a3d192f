using System.Globalization;
using System.Text.Json.Serialization;

namespace GameSignals.Notifications;

/// <summary>
/// A notification as the <c>notifications</c> container keeps it (partition key <c>/userId</c>).
/// The contract's replay fields, plus inbox state and the idempotency bookkeeping.
/// </summary>
public sealed record Notification
{
    public required string Id { get; init; }

    public required string RuleId { get; init; }

    public required string GameId { get; init; }

    public required string UserId { get; init; }

    public string? CharacterId { get; init; }

    public required string EventId { get; init; }

    /// <summary>Event time of the event that fired it.</summary>
    public required DateTimeOffset Time { get; init; }

    public required string Priority { get; init; }

    public required IReadOnlyList<string> Channels { get; init; }

    /// <summary>The language of the template used.</summary>
    public required string Locale { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    /// <summary>A stats message's peers: which statistics it showed and why (null for other rules).</summary>
    public Stats.StatsExplanation? Explanation { get; init; }

    public bool Read { get; init; }

    /// <summary>Wall-clock time the record was written.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set once the push request is queued, so a redelivery queues it only if it was not.</summary>
    public bool PushEnqueued { get; init; }

    /// <summary>Set once the provider accepted the push, so a redelivered push request sends nothing.</summary>
    public bool PushDelivered { get; init; }

    /// <summary>Seconds to live, as Cosmos reads it; the in-memory store measures it from <see cref="Time"/>.</summary>
    public int Ttl { get; init; }

    [JsonIgnore]
    public bool InInbox => Channels.Contains("inbox");

    [JsonIgnore]
    public bool ToPush => Channels.Contains("push");

    /// <summary>Writes the contract's replay line (§6): exactly its fields, in its order.</summary>
    public void WriteReplayLine(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("ruleId", RuleId);
        writer.WriteString("gameId", GameId);
        writer.WriteString("userId", UserId);
        writer.WriteString("characterId", CharacterId);
        writer.WriteString("eventId", EventId);
        writer.WriteString("time", Time);
        writer.WriteString("priority", Priority);
        writer.WriteStartArray("channels");
        foreach (var channel in Channels)
        {
            writer.WriteStringValue(channel);
        }

        writer.WriteEndArray();
        writer.WriteString("locale", Locale);
        writer.WriteString("title", Title);
        writer.WriteString("body", Body);
        if (Explanation is not null)
        {
            writer.WritePropertyName("explanation");
            Explanation.Write(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The contract's deterministic id from <c>(ruleId, source, eventId)</c>: the first 16 bytes of the
    /// SHA-256 of the three, length-prefixed so no two triples collide by concatenation, as lower hex.
    /// </summary>
    public static string IdFor(string ruleId, string source, string eventId)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(eventId);
        return ContentId.Of(CultureInfo.InvariantCulture, stackalloc char[256], $"{ruleId.Length}:{ruleId}|{source.Length}:{source}|{eventId.Length}:{eventId}");
    }
}

/// <summary>What the push sender gets from the queue.</summary>
public sealed record PushRequest(string NotificationId, string GameId, string UserId, string Title, string Body, string Priority);
