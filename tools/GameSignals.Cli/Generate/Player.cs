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

/// <summary>
/// What a player does wrong, if anything: each role but the last exercises one fraud reason. The
/// internet café's players do nothing wrong but look like a device farm (a near miss).
/// </summary>
internal enum PlayerRole
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
    InternetCafe,
}

/// <summary>A generated player: fixed identity (pre-encoded, so writing an event formats nothing) and session state.</summary>
internal sealed class Player
{
    public required string UserIdText { get; init; }
    public required JsonEncodedText UserId { get; init; }
    public required string CharacterIdText { get; init; }
    public required JsonEncodedText CharacterId { get; init; }
    public required int Game { get; init; }
    public required Archetype Archetype { get; init; }
    public required PlayerRole Role { get; init; }
    public required PlannedAddress Address { get; init; }
    public required JsonEncodedText Ip { get; init; }
    public required JsonEncodedText DeviceId { get; init; }
    public required int Platform { get; init; }
    public required JsonEncodedText Locale { get; init; }
    public required string Country { get; init; }
    public bool InSession { get; set; }
    public long SessionStartMs { get; set; }
    public required int MaxHp { get; init; }
    public int Level { get; set; }
    public int Rating { get; set; }
    public string? LastOrderId { get; set; }
    public int LastStore { get; set; }
}
