using System.Runtime.InteropServices;
using GameSignals.Pipeline.State;

namespace GameSignals.Notifications;

/// <summary>
/// Which cooldown: one per game, rule and cooldown key value (a user or character id). A shadow rule's cooldowns
/// (<paramref name="Shadow"/>) are kept apart, so a rule tried in shadow and then made active starts afresh, and
/// what a shadow rule would have sent never holds back what an active rule sends.
/// </summary>
public readonly record struct CooldownKey(string GameId, string RuleId, string KeyValue, bool Shadow = false)
{
    public override string ToString() => Shadow ? $"{GameId}/{RuleId}/{KeyValue} (shadow)" : $"{GameId}/{RuleId}/{KeyValue}";
}

/// <summary>
/// An open cooldown: the notification that opened it and when (event time). Remembering the id lets a
/// redelivered event that fired the first time fire again as the same notification.
/// </summary>
public sealed record CooldownRecord(CooldownKey Key, string NotificationId, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The notification stage's part of a partition's state: the rules' open cooldowns and the players' languages. Both are
/// keyed by a player (or one of their characters), and a player's events of one hub are all on one partition, so no other
/// instance reads or writes them: they live beside the partition instead of costing Cosmos requests per event.
/// </summary>
/// <remarks>
/// A cooldown is forgotten a day after it ended in event time (behind the partition's newest cooldown): the day of grace
/// keeps it for events that come late. Languages are kept for as long as the player's state is; the payment hub's
/// partitions learn a language from <see cref="IPlayerLocaleStore"/>, which the game hub writes when a language changes.
/// </remarks>
public sealed class NotificationState : IPartitionStatePart
{
    /// <summary>The part's name in changelog records and snapshots.</summary>
    public const string PartName = "notifications";

    private static readonly TimeSpan SweepGrace = TimeSpan.FromDays(1);

    private readonly Dictionary<CooldownKey, CooldownRecord> _cooldowns = [];
    // Rows, not records: a player's language is set again at each session, and a new record kept until the next one
    // lived long enough to be copied into the oldest generation; an unchanged language keeps its held string.
    private readonly Dictionary<(string GameId, string UserId), LocaleRow> _locales = new(StringPairComparer.Instance);
    private readonly HashSet<CooldownKey> _changedCooldowns = [];
    private readonly HashSet<(string, string)> _changedLocales = new(StringPairComparer.Instance);
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>How the pipeline creates one per partition.</summary>
    public static PartitionStatePartType Type { get; } = new(PartName, typeof(NotificationState), static () => new NotificationState());

    public bool HasChanges => _changedCooldowns.Count > 0 || _changedLocales.Count > 0;

    /// <summary>Cooldowns held now (tests and snapshots).</summary>
    public int CooldownCount => _cooldowns.Count;

    public CooldownRecord? Cooldown(CooldownKey key) => _cooldowns.GetValueOrDefault(key);

    /// <summary>Opens (or reopens) a cooldown, then forgets those a day past their end.</summary>
    public void OpenCooldown(CooldownRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _cooldowns[record.Key] = record;
        _changedCooldowns.Add(record.Key);
        if (record.OpenedAt > _newest)
        {
            _newest = record.OpenedAt;
        }

        if (_newest - _lastSweep > SweepGrace)
        {
            _lastSweep = _newest;
            foreach (var stale in _cooldowns.Values.Where(IsStale).ToList())
            {
                _cooldowns.Remove(stale.Key);
            }
        }
    }

    public PlayerLocale? Locale(string gameId, string userId) =>
        _locales.TryGetValue((gameId, userId), out var row) ? new PlayerLocale(row.Language, row.Time) : null;

    /// <summary>Keeps <paramref name="locale"/> unless the one held comes from a later session; true when the language changed.</summary>
    public bool SetLocale(string gameId, string userId, PlayerLocale locale)
    {
        ArgumentNullException.ThrowIfNull(locale);
        ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_locales, (gameId, userId), out var known);
        if (known && held.Time > locale.Time)
        {
            return false;
        }

        var changed = !known || held.Language != locale.Language;
        held = new LocaleRow(changed ? locale.Language : held.Language, locale.Time);
        _changedLocales.Add((gameId, userId));
        return changed;
    }

    public void WriteChanges(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteCooldowns(writer, _changedCooldowns.Where(_cooldowns.ContainsKey).Select(key => _cooldowns[key]).ToList());
        WriteLocales(writer, _changedLocales.Select(key => (key, _locales[key])).ToList());
        _changedCooldowns.Clear();
        _changedLocales.Clear();
    }

    public void ApplyChanges(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var record in ReadCooldowns(reader))
        {
            _cooldowns[record.Key] = record;
            _newest = record.OpenedAt > _newest ? record.OpenedAt : _newest;
        }

        foreach (var (key, locale) in ReadLocales(reader))
        {
            _locales[key] = locale;
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteCooldowns(writer, _cooldowns.Values.Where(record => !IsStale(record)).ToList());
        WriteLocales(writer, _locales.Select(pair => (pair.Key, pair.Value)).ToList());
    }

    public void ReadSnapshot(BinaryReader reader) => ApplyChanges(reader);

    private bool IsStale(CooldownRecord record) => record.ExpiresAt < _newest - SweepGrace;

    private static void WriteCooldowns(BinaryWriter writer, List<CooldownRecord> records)
    {
        writer.Write(records.Count);
        foreach (var record in records)
        {
            writer.Write(record.Key.GameId);
            writer.Write(record.Key.RuleId);
            writer.Write(record.Key.KeyValue);
            writer.Write(record.Key.Shadow);
            writer.Write(record.NotificationId);
            writer.Write(record.OpenedAt.UtcTicks);
            writer.Write(record.ExpiresAt.UtcTicks);
        }
    }

    private static List<CooldownRecord> ReadCooldowns(BinaryReader reader)
    {
        var records = new List<CooldownRecord>(reader.ReadInt32());
        for (var i = records.Capacity; i > 0; i--)
        {
            var key = new CooldownKey(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadBoolean());
            records.Add(new CooldownRecord(key, reader.ReadString(), Utc(reader.ReadInt64()), Utc(reader.ReadInt64())));
        }

        return records;
    }

    private static void WriteLocales(BinaryWriter writer, List<((string GameId, string UserId) Key, LocaleRow Locale)> locales)
    {
        writer.Write(locales.Count);
        foreach (var (key, locale) in locales)
        {
            writer.Write(key.GameId);
            writer.Write(key.UserId);
            writer.Write(locale.Language);
            writer.Write(locale.Time.UtcTicks);
        }
    }

    private static List<((string, string), LocaleRow)> ReadLocales(BinaryReader reader)
    {
        var locales = new List<((string, string), LocaleRow)>(reader.ReadInt32());
        for (var i = locales.Capacity; i > 0; i--)
        {
            locales.Add(((reader.ReadString(), reader.ReadString()), new LocaleRow(reader.ReadString(), Utc(reader.ReadInt64()))));
        }

        return locales;
    }

    private readonly record struct LocaleRow(string Language, DateTimeOffset Time);

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);
}
