using GameSignals.Events;

namespace GameSignals.Profiles;

/// <summary>What a profile fold takes from an event.</summary>
public enum ProfileFactKind : byte
{
    /// <summary>Only when the player was seen, and where (any profile event).</summary>
    Seen = 0,
    SessionStarted = 1,
    PlaySeconds = 2,
    Died = 3,
    Level = 4,
    PvpMatch = 5,
    DungeonCleared = 6,
    QuestCompleted = 7,
    ItemSold = 8,
    Purchase = 9,
}

/// <summary>
/// The part of one event a profile fold reads (<see cref="ProfileFeatures.Fold"/>): its kind, event time, server, and the
/// one value or text its kind needs, with prices already in the reference currency. A partition's changelog carries a
/// batch's facts rather than the parts they changed (a few dozen bytes an event instead of a whole part per player), and
/// recovery folds them again into the same parts: the fold is deterministic over them.
/// </summary>
/// <param name="Value">The kind's number: seconds played, level, PvP result (1, 0.5, 0; NaN for another result),
/// dungeon difficulty (NaN when not given), 1 or 0 for a main or side quest, market value sold, purchase amount.</param>
/// <param name="Platform">The platform of a session start, when it names one.</param>
public readonly record struct ProfileFact(ProfileFactKind Kind, DateTimeOffset Time, string? Server, double Value = 0, string? Platform = null)
{
    /// <summary>The fact of a profile event, with purchases converted by <paramref name="options"/>.</summary>
    public static ProfileFact Of(GameEvent e, ProfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(options);
        var t = e.Time;
        return e.Payload switch
        {
            SessionStarted s => new(ProfileFactKind.SessionStarted, t, e.Server, Platform: s.Platform),
            SessionEnded { DurationSeconds: { } seconds } when seconds > 0 => new(ProfileFactKind.PlaySeconds, t, e.Server, seconds),
            CharacterDied => new(ProfileFactKind.Died, t, e.Server),
            LevelUp { Level: { } level } => new(ProfileFactKind.Level, t, e.Server, level),
            PvpMatchEnded m => new(ProfileFactKind.PvpMatch, t, e.Server, m.Result switch
            {
                "win" => 1,
                "draw" => 0.5,
                "loss" => 0,
                _ => double.NaN,
            }),
            DungeonCleared d => new(ProfileFactKind.DungeonCleared, t, e.Server, d.Difficulty ?? double.NaN),
            QuestCompleted { Main: { } main } => new(ProfileFactKind.QuestCompleted, t, e.Server, main ? 1 : 0),
            ItemSold sale => new(ProfileFactKind.ItemSold, t, e.Server, (sale.Price ?? 0) * (sale.Quantity ?? 1)),
            PurchaseCompleted purchase => new(ProfileFactKind.Purchase, t, e.Server, options.ToReferenceCurrency(purchase.Price, purchase.Currency)),
            _ => new(ProfileFactKind.Seen, t, e.Server),
        };
    }

    /// <summary>Writes the fact: kind, time with its offset, server, then what the kind carries.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write((byte)Kind);
        ProfileBinary.WriteTime(writer, Time);
        ProfileBinary.WriteOptional(writer, Server);
        switch (Kind)
        {
            case ProfileFactKind.SessionStarted:
                ProfileBinary.WriteOptional(writer, Platform);
                break;
            case ProfileFactKind.Seen or ProfileFactKind.Died:
                break;
            default:
                writer.Write(Value);
                break;
        }
    }

    /// <summary>Reads a fact <see cref="Write"/> wrote.</summary>
    public static ProfileFact Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var kind = (ProfileFactKind)reader.ReadByte();
        var time = ProfileBinary.ReadTime(reader);
        var server = ProfileBinary.ReadOptional(reader);
        return kind switch
        {
            ProfileFactKind.SessionStarted => new(kind, time, server, Platform: ProfileBinary.ReadOptional(reader)),
            ProfileFactKind.Seen or ProfileFactKind.Died => new(kind, time, server),
            > ProfileFactKind.Purchase => throw new InvalidDataException($"Unknown profile fact kind {(byte)kind}."),
            _ => new(kind, time, server, reader.ReadDouble()),
        };
    }
}
