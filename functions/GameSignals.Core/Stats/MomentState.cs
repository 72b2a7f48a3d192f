using GameSignals.Events;
using GameSignals.Pipeline.State;

namespace GameSignals.Stats;

/// <summary>
/// The stats stage's part of a partition's state: what each player of the partition has in progress towards a
/// frustration moment (recent deaths per zone, failed attempts per dungeon, the PvP loss streak), in event time, and
/// where moments are found (<see cref="Observe"/>). Milestones need no state. Bounded: a zone or dungeon keeps at most
/// <see cref="StatsSettingsValidator.MaxCount"/> deaths, none more than its window behind the player's newest event, and
/// a player with nothing in progress is forgotten.
/// </summary>
/// <remarks>
/// A death counts at its own time: the deaths of the zone in <c>(t − window, t]</c>. When they reach the threshold the
/// moment happens and the count starts again: deaths at or before that death never count again, so a late death cannot
/// make a second moment of deaths already counted. The loss streak counts losses in the order they arrive (a win or draw
/// ends it), as the player's events of one hub arrive in order.
/// </remarks>
public sealed class MomentState : IPartitionStatePart
{
    /// <summary>The part's name in changelog records and snapshots.</summary>
    public const string PartName = "moments";

    private readonly Dictionary<(string GameId, string UserId), Player> _players = new(StringPairComparer.Instance);
    private readonly HashSet<(string GameId, string UserId)> _changed = new(StringPairComparer.Instance);

    /// <summary>How the pipeline creates one per partition.</summary>
    public static PartitionStatePartType Type { get; } = new(PartName, typeof(MomentState), static () => new MomentState());

    public bool HasChanges => _changed.Count > 0;

    /// <summary>Players with something in progress.</summary>
    public int Count => _players.Count;

    /// <summary>The moments <paramref name="e"/> makes under <paramref name="policy"/>, after folding it into the player's state.</summary>
    public List<Moment> Observe(GameEvent e, MomentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(policy);
        var moments = new List<Moment>();
        var key = (e.GameId, e.UserId);
        var t = e.Time.UtcTicks;
        switch (e.Payload)
        {
            case DungeonCleared cleared:
                moments.Add(new Moment(MomentTypes.DungeonCleared, e, 1, cleared.DungeonId));
                if (cleared.DungeonId is { } dungeon && _players.TryGetValue(key, out var clearer) && clearer.Dungeons.TryGetValue(dungeon, out var attempts))
                {
                    attempts.ResetAt(t);
                    Touch(key, clearer, t, policy);
                }

                break;
            case QuestCompleted { Main: true } quest:
                moments.Add(new Moment(MomentTypes.MainQuestCompleted, e, 1, quest.QuestId));
                break;
            case LevelUp { Level: { } level } when level == Math.Floor(level) && level is >= 1 and <= int.MaxValue && policy.Levels.Contains((int)level):
                moments.Add(new Moment(MomentTypes.LevelReached, e, (int)level, null));
                break;
            case CharacterDied { Zone: { } zone }:
                var player = PlayerOf(key);
                if (policy.DeathsInZone is var (deaths, deathWindow) && Tally(player.Zones, zone, t, deaths, deathWindow) is { } inZone)
                {
                    moments.Add(new Moment(MomentTypes.DeathsInZone, e, inZone, zone));
                }

                if (policy.DungeonAttempts is var (tries, tryWindow) && policy.DungeonZones.TryGetValue(zone, out var inDungeon)
                    && Tally(player.Dungeons, inDungeon, t, tries, tryWindow) is { } failed)
                {
                    moments.Add(new Moment(MomentTypes.DungeonAttempts, e, failed, inDungeon));
                }

                Touch(key, player, t, policy);
                break;
            case PvpMatchEnded { Result: "loss" } when policy.PvpLossStreak is { } streak:
                var loser = PlayerOf(key);
                loser.LossStreak++;
                if (loser.LossStreak >= streak)
                {
                    moments.Add(new Moment(MomentTypes.PvpLossStreak, e, loser.LossStreak, null));
                    loser.LossStreak = 0;
                }

                Touch(key, loser, t, policy);
                break;
            case PvpMatchEnded { Result: "win" or "draw" } when _players.TryGetValue(key, out var winner):
                winner.LossStreak = 0;
                Touch(key, winner, t, policy);
                break;
        }

        return moments;
    }

    public void WriteChanges(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_changed.Count);
        foreach (var key in _changed)
        {
            Write(writer, key, _players.GetValueOrDefault(key));
        }

        _changed.Clear();
    }

    public void ApplyChanges(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var key = (reader.ReadString(), reader.ReadString());
            if (reader.ReadBoolean())
            {
                _players[key] = Read(reader);
            }
            else
            {
                _players.Remove(key);
            }
        }
    }

    public void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_players.Count);
        foreach (var (key, player) in _players)
        {
            Write(writer, key, player);
        }
    }

    public void ReadSnapshot(BinaryReader reader) => ApplyChanges(reader);

    private Player PlayerOf((string, string) key)
    {
        if (!_players.TryGetValue(key, out var player))
        {
            player = new Player();
            _players[key] = player;
        }

        return player;
    }

    /// <summary>The count that makes a moment, or null; counts the death at <paramref name="t"/> in its zone's (or dungeon's) track.</summary>
    private static int? Tally(Dictionary<string, Track> tracks, string name, long t, int threshold, TimeSpan window)
    {
        if (!tracks.TryGetValue(name, out var track))
        {
            track = new Track();
            tracks[name] = track;
        }

        if (t <= track.Reset)
        {
            return null; // counted towards a moment already
        }

        var at = track.Times.BinarySearch(t);
        track.Times.Insert(at < 0 ? ~at : at, t);
        if (track.Times.Count > StatsSettingsValidator.MaxCount)
        {
            track.Times.RemoveAt(0);
        }

        var count = track.Times.Count(time => time > t - window.Ticks && time <= t);
        if (count < threshold)
        {
            return null;
        }

        track.ResetAt(t);
        return count;
    }

    /// <summary>Drops what no later event can count (behind the newest event by more than its window), and the player when nothing is left.</summary>
    private void Touch((string, string) key, Player player, long t, MomentPolicy policy)
    {
        player.Newest = Math.Max(player.Newest, t);
        Trim(player.Zones, player.Newest - (policy.DeathsInZone?.Window.Ticks ?? 0));
        Trim(player.Dungeons, player.Newest - (policy.DungeonAttempts?.Window.Ticks ?? 0));
        if (player.Zones.Count == 0 && player.Dungeons.Count == 0 && player.LossStreak == 0)
        {
            _players.Remove(key);
        }

        _changed.Add(key);
    }

    private static void Trim(Dictionary<string, Track> tracks, long horizon)
    {
        foreach (var (name, track) in tracks)
        {
            track.Times.RemoveAll(time => time <= horizon);
            if (track.Times.Count == 0 && track.Reset <= horizon)
            {
                tracks.Remove(name);
            }
        }
    }

    private static void Write(BinaryWriter writer, (string GameId, string UserId) key, Player? player)
    {
        writer.Write(key.GameId);
        writer.Write(key.UserId);
        writer.Write(player is not null);
        if (player is null)
        {
            return;
        }

        writer.Write(player.Newest);
        writer.Write(player.LossStreak);
        foreach (var tracks in (ReadOnlySpan<Dictionary<string, Track>>)[player.Zones, player.Dungeons])
        {
            writer.Write(tracks.Count);
            foreach (var (name, track) in tracks)
            {
                writer.Write(name);
                writer.Write(track.Reset);
                writer.Write(track.Times.Count);
                track.Times.ForEach(writer.Write);
            }
        }
    }

    private static Player Read(BinaryReader reader)
    {
        var player = new Player { Newest = reader.ReadInt64(), LossStreak = reader.ReadInt32() };
        foreach (var tracks in (ReadOnlySpan<Dictionary<string, Track>>)[player.Zones, player.Dungeons])
        {
            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                var name = reader.ReadString();
                var track = new Track { Reset = reader.ReadInt64() };
                for (var times = reader.ReadInt32(); times > 0; times--)
                {
                    track.Times.Add(reader.ReadInt64());
                }

                tracks[name] = track;
            }
        }

        return player;
    }

    private sealed class Player
    {
        public Dictionary<string, Track> Zones { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Track> Dungeons { get; } = new(StringComparer.Ordinal);

        public int LossStreak { get; set; }

        /// <summary>UTC ticks of the player's newest event seen here.</summary>
        public long Newest { get; set; } = long.MinValue;
    }

    /// <summary>Deaths in one zone (or dungeon), sorted UTC ticks, and the time up to which deaths have been counted.</summary>
    private sealed class Track
    {
        public List<long> Times { get; } = [];

        public long Reset { get; set; } = long.MinValue;

        public void ResetAt(long t)
        {
            Reset = Math.Max(Reset, t);
            Times.RemoveAll(time => time <= Reset);
        }
    }
}
