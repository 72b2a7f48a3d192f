using GameSignals.Events;

namespace GameSignals.Stats;

/// <summary>
/// The moments a stats message can be sent at (docs/design.md, "Stats among similar players"): event types derived
/// from the player's own events, which notification rules watch like any other type. Milestones: a dungeon cleared, a
/// main quest completed, a configured level reached. Frustration: the Nth death in one zone within a window, a PvP loss
/// streak, repeated deaths in a dungeon's zone without clearing it.
/// </summary>
public static class MomentTypes
{
    /// <summary>The prefix every moment type has; no event of the contract has it.</summary>
    public const string Prefix = "moment.";

    public const string DungeonCleared = "moment.dungeon_cleared";
    public const string MainQuestCompleted = "moment.main_quest_completed";
    public const string LevelReached = "moment.level_reached";
    public const string DeathsInZone = "moment.deaths_in_zone";
    public const string PvpLossStreak = "moment.pvp_loss_streak";
    public const string DungeonAttempts = "moment.dungeon_attempts";

    public static readonly IReadOnlyList<string> All = [DungeonCleared, MainQuestCompleted, LevelReached, DeathsInZone, PvpLossStreak, DungeonAttempts];

    /// <summary>Whether a rule's event type is a moment, which makes the rule a stats message.</summary>
    public static bool IsMoment(string? eventType) => eventType is not null && eventType.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether an event can make a moment (the others skip the stats stage).</summary>
    public static bool CanMakeMoment(string eventType) => eventType is EventTypes.DungeonCleared or EventTypes.QuestCompleted
        or EventTypes.LevelUp or EventTypes.CharacterDied or EventTypes.PvpMatchEnded;
}

/// <summary>
/// A moment of a player: its type, the event that made it (a rule's condition and template read that event), and for
/// frustration how many deaths or losses it counted and where (<paramref name="Subject"/>: the zone or dungeon id).
/// </summary>
public sealed record Moment(string Type, GameEvent Trigger, int Count, string? Subject);
