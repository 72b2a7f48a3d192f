using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameSignals.Fraud;

[JsonConverter(typeof(JsonStringEnumConverter<FlagStatus>))]
public enum FlagStatus
{
    [JsonStringEnumMemberName("open")]
    Open,

    [JsonStringEnumMemberName("resolved")]
    Resolved,

    [JsonStringEnumMemberName("dismissed")]
    Dismissed,
}

/// <summary>
/// A fraud flag: the reason code, the event that raised it and the evidence an operator reads,
/// plus its review state. <see cref="Id"/> derives from (reason, source, event id), so raising the
/// same flag again (redelivery, re-evaluation after a late event) creates nothing new.
/// </summary>
public sealed record FraudFlag
{
    public required string Id { get; init; }

    public required string Reason { get; init; }

    public required FlagSeverity Severity { get; init; }

    public required string GameId { get; init; }

    public required string UserId { get; init; }

    /// <summary>The event's <c>source</c>; with <see cref="EventId"/> the contract's idempotency key.</summary>
    public required string Source { get; init; }

    public required string EventId { get; init; }

    /// <summary>The event's time.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>A JSON object naming every fact the check used.</summary>
    public required JsonElement Evidence { get; init; }

    public FlagStatus Status { get; init; } = FlagStatus.Open;

    public string? Comment { get; init; }

    public string? ResolvedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Whether the block action went out; set after publishing so a redelivery publishes only what may have been lost.</summary>
    public bool ActionPublished { get; init; }

    /// <summary>The deterministic flag id: the first 128 bits of SHA-256 over reason, source and event id, in hex.</summary>
    public static string IdFor(string reason, string source, string eventId)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(eventId);
        return ContentId.Of(CultureInfo.InvariantCulture, stackalloc char[256], $"{reason}\n{source}\n{eventId}");
    }

    /// <summary>The flag as the contract's JSON (<c>flags.jsonl</c> of replay, admin answers).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FraudJsonContext.Default.FraudFlag);
}

/// <summary>A search over flags; null criteria match everything. <see cref="From"/> and <see cref="To"/> bound event time (inclusive, exclusive).</summary>
public sealed record FlagQuery
{
    public string? GameId { get; init; }

    public string? UserId { get; init; }

    public string? Reason { get; init; }

    public FlagStatus? Status { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int PageSize { get; init; } = 100;

    /// <summary>The token of the previous page, or null for the first.</summary>
    public string? ContinuationToken { get; init; }

    public bool Matches(FraudFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return (GameId is null || flag.GameId == GameId)
            && (UserId is null || flag.UserId == UserId)
            && (Reason is null || flag.Reason == Reason)
            && (Status is null || flag.Status == Status)
            && (From is null || flag.Time >= From)
            && (To is null || flag.Time < To);
    }
}

/// <summary>One page of flags in event-time order; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record FlagPage(IReadOnlyList<FraudFlag> Flags, string? ContinuationToken);

/// <summary>An operator's decision on a flag.</summary>
public sealed record FlagReview(FlagStatus Status, string? Comment, string By, DateTimeOffset At);
