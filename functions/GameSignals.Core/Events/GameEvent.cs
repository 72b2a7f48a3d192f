using System.Text.Json;

namespace GameSignals.Events;

/// <summary>A decoded, validated CloudEvent. <see cref="Data"/> is owned by the event (no pooled buffers).</summary>
public sealed class GameEvent
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string GameId { get; init; }
    public required string UserId { get; init; }
    public string? CharacterId { get; init; }
    public string? Server { get; init; }

    /// <summary>The <c>data</c> object; <see cref="JsonValueKind.Undefined"/> when the event has none.</summary>
    public JsonElement Data { get; init; }

    /// <summary>
    /// Typed view of <see cref="Data"/> for the contract's known types; null for unknown types.
    /// The decoder has already checked every known field's JSON kind; the record is built on first use,
    /// so stages that never read it do not pay for it. Code that builds an event in memory may set it.
    /// </summary>
    public EventPayload? Payload
    {
        get => _payload ??= PayloadReader.Read(Type, Data, materialize: true, out _);
        init => _payload = value;
    }

    private EventPayload? _payload;

    /// <summary>Where the event was read from: partition and sequence number, or file and line in replay.</summary>
    public required MessageOrigin Origin { get; init; }

    public EventKey Key => new(Source, Id);

    /// <summary>The same event read from another position (replay decodes first, then routes to a partition).</summary>
    public GameEvent WithOrigin(MessageOrigin origin) => new()
    {
        Id = Id, Source = Source, Type = Type, Time = Time, GameId = GameId, UserId = UserId,
        CharacterId = CharacterId, Server = Server, Data = Data, _payload = _payload, Origin = origin,
    };

    public bool IsPayment => Type.StartsWith("payment.", StringComparison.Ordinal);
}

/// <summary>The contract's idempotency key: <c>(source, id)</c>.</summary>
public readonly record struct EventKey(string Source, string Id)
{
    public override string ToString() => Source + "#" + Id;
}

/// <summary>
/// The position of the message an event came in: Event Hubs partition, sequence number, offset and
/// enqueue time, or for replay the file and line (as the offset) with the simulated partition.
/// </summary>
public sealed record MessageOrigin(
    string Hub,
    string Partition,
    long SequenceNumber,
    string Offset,
    DateTimeOffset? EnqueuedTime)
{
    public override string ToString() => $"{Hub}/{Partition}@{SequenceNumber} (offset {Offset})";
}
