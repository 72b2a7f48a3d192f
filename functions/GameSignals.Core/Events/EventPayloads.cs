namespace GameSignals.Events;

/// <summary>Typed payloads of the known event types (contract §2). Absent fields are null.</summary>
public abstract record EventPayload;

public sealed record SessionStarted(
    string? Ip, string? DeviceId, string? Platform, string? ClientVersion,
    string? ClientSignature, string? Locale, string? AccountCountry) : EventPayload;

public sealed record SessionEnded(double? DurationSeconds) : EventPayload;

public sealed record HpChanged(double? Hp, double? MaxHp, bool? AutoBattle, bool? InCombat, string? Zone) : EventPayload;

public sealed record CharacterDied(string? Zone, string? Cause) : EventPayload;

public sealed record LevelUp(double? Level) : EventPayload;

public sealed record PvpMatchEnded(string? Result, double? Rating) : EventPayload;

public sealed record DungeonCleared(string? DungeonId, double? Difficulty, double? DurationSeconds) : EventPayload;

public sealed record QuestCompleted(string? QuestId, bool? Main) : EventPayload;

public sealed record ItemSold(string? ItemId, string? ItemName, double? Quantity, double? Price) : EventPayload;

public sealed record InventoryFull : EventPayload;

public sealed record AutoBattleStopped(string? Reason) : EventPayload;

/// <summary>
/// A purchase. <see cref="Price"/> is decimal so catalog comparisons are exact;
/// <see cref="Receipt"/> is kept as JSON because its shape depends on the store.
/// </summary>
public sealed record PurchaseCompleted(
    string? OrderId, string? Store, string? ProductId, decimal? Price, string? Currency,
    string? StoreCountry, string? Ip, System.Text.Json.JsonElement Receipt) : EventPayload;

public sealed record PurchaseRefunded(string? OrderId, string? Store, string? Reason) : EventPayload;

public static class EventTypes
{
    public const string SessionStarted = "game.session.started";
    public const string SessionEnded = "game.session.ended";
    public const string HpChanged = "game.character.hp_changed";
    public const string CharacterDied = "game.character.died";
    public const string LevelUp = "game.character.level_up";
    public const string PvpMatchEnded = "game.pvp.match_ended";
    public const string DungeonCleared = "game.dungeon.cleared";
    public const string QuestCompleted = "game.quest.completed";
    public const string ItemSold = "game.market.item_sold";
    public const string InventoryFull = "game.inventory.full";
    public const string AutoBattleStopped = "game.autobattle.stopped";
    public const string PurchaseCompleted = "payment.purchase.completed";
    public const string PurchaseRefunded = "payment.purchase.refunded";
}
