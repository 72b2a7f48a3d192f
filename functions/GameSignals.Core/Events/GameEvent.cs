namespace GameSignals.Events;

/// <summary>A decoded, validated CloudEvent. Its <see cref="DataJson"/> lies in the decoded message's memory, which is never reused.</summary>
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

    /// <summary>The bytes of the <c>data</c> object, already checked to be well-formed JSON; empty when the event has none.</summary>
    public ReadOnlyMemory<byte> DataJson { get; init; }

    /// <summary>
    /// The top-level fields of <c>data</c>; null when the event has none. Read on first use: most events are never
    /// read field by field (their stages use <see cref="Payload"/>). Racing first reads read twice at worst, to equal values.
    /// </summary>
    public DataFields? Fields => DataJson.IsEmpty ? null : _fields ??= DataFields.Read(DataJson);

    private DataFields? _fields;

    /// <summary>Typed view of <c>data</c> for the contract's known types; null for unknown types.</summary>
    public EventPayload? Payload { get; init; }

    /// <summary>Where the event was read from: partition and sequence number, or file and line in replay.</summary>
    public required MessageOrigin Origin { get; init; }

    public EventKey Key => new(Source, Id);

    /// <summary>The same event read from another position (a test or benchmark that decodes first, then routes to a partition).</summary>
    public GameEvent WithOrigin(MessageOrigin origin) => new()
    {
        Id = Id, Source = Source, Type = Type, Time = Time, GameId = GameId, UserId = UserId,
        CharacterId = CharacterId, Server = Server, DataJson = DataJson, _fields = _fields, Payload = Payload, Origin = origin,
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
/// enqueue time, or for replay the line's sequence number and its file and line (as the offset); replay's
/// simulated partitions are the batches' own.
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
