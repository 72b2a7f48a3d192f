using System.Text.Json;

namespace GameSignals.Cli.Generate;

/// <summary>Behaviour groups of generated players; each has its own mix of event types.</summary>
internal enum Archetype
{
    PvpGrinder,
    Whale,
    DungeonRunner,
    Casual,
    Trader,
}

/// <summary>What a player does wrong, if anything: each exercises one fraud reason.</summary>
internal enum Misbehaviour
{
    None,
    CloudLogin,
    BlockedCidr,
    BlockedAsn,
    CountryMismatch,
    TamperedClient,
    InvalidReceipt,
    PriceMismatch,
    UnregisteredCurrency,
    ReceiptReplay,
    DeviceFarm,
}

/// <summary>A generated player: fixed identity (pre-encoded, so writing an event formats nothing) and session state.</summary>
internal sealed class Player
{
    public required JsonEncodedText UserId { get; init; }
    public required JsonEncodedText CharacterId { get; init; }
    public required int Game { get; init; }
    public required Archetype Archetype { get; init; }
    public required Misbehaviour Misbehaviour { get; init; }
    public required JsonEncodedText Ip { get; init; }
    public required JsonEncodedText DeviceId { get; init; }
    public required int Platform { get; init; }
    public required JsonEncodedText Locale { get; init; }
    public required string Country { get; init; }
    public bool InSession { get; set; }
    public long SessionStartMs { get; set; }
    public int Hp { get; set; }
    public int MaxHp { get; set; }
    public int Level { get; set; }
    public int Rating { get; set; }
    public string? LastOrderId { get; set; }
    public int LastStore { get; set; }
}
