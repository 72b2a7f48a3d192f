namespace GameSignals.Events;

/// <summary>A message or event that could not be processed, kept with its original bytes.</summary>
public sealed record DeadLetter(
    string Reason,
    string Detail,
    string? EventId,
    string? Source,
    ReadOnlyMemory<byte> Body,
    MessageOrigin Origin,
    int IndexInMessage)
{
    /// <summary>Deterministic name, so a redelivered batch overwrites rather than duplicates its dead letters.</summary>
    public string Name => $"{Origin.Hub}/{Origin.Partition}/{Origin.SequenceNumber}-{IndexInMessage}";
}

/// <summary>The stable reason codes of dead letters (contract §1).</summary>
public static class DeadLetterReasons
{
    public const string InvalidJson = "invalid_json";
    public const string NotAnObject = "not_an_object";
    public const string TooLarge = "too_large";
    public const string MissingAttribute = "missing_attribute";
    public const string InvalidAttribute = "invalid_attribute";
    public const string UnsupportedSpecVersion = "unsupported_specversion";
    public const string InvalidTime = "invalid_time";
    public const string WrongType = "wrong_type";
}
