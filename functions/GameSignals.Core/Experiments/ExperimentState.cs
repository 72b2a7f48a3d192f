using GameSignals.Events;
using GameSignals.Pipeline.State;
using GameSignals.Stats;

namespace GameSignals.Experiments;

/// <summary>
/// The experiment stage's part of a partition's state: per player of a game with an experiment, the first session start
/// seen (game hub), whether they came back on day 1 and on day 7, and whether they paid (payment hub); and the partition's
/// newest event time, which says whose D1 and D7 days are over. A player's arm is not kept: it is a hash
/// (<see cref="ExperimentArms"/>) of the experiment and the treatment share in force when the player was first seen. One small entry per enrolled or paying player, for as long as the experiment runs.
/// </summary>
/// <remarks>
/// Day 1 is [first + 1 day, first + 2 days) and day 7 is [first + 7 days, first + 8 days) after the first session start,
/// in event time; a player counts in a day's denominator once the partition's newest event is past the end of that day.
/// Sessions are taken in the order they arrive (one player's events of one hub arrive in order).
/// </remarks>
public sealed class ExperimentState : IPartitionStatePart
{
    /// <summary>The part's name in changelog records and snapshots.</summary>
    public const string PartName = "experiments";

    private static readonly long Day = TimeSpan.TicksPerDay;

    private readonly Dictionary<(string GameId, string UserId), Player> _players = new(StringPairComparer.Instance);
    private readonly HashSet<(string GameId, string UserId)> _changed = new(StringPairComparer.Instance);
    private long _newest = long.MinValue;
    private long _published = long.MinValue;
    private bool _newestChanged;

    /// <summary>How the pipeline creates one per partition.</summary>
    public static PartitionStatePartType Type { get; } = new(PartName, typeof(ExperimentState), static () => new ExperimentState());

    public bool HasChanges => _changed.Count > 0 || _newestChanged;

    /// <summary>The partition's newest event time seen; null before any.</summary>
    public DateTimeOffset? Newest => _newest == long.MinValue ? null : new DateTimeOffset(_newest, TimeSpan.Zero);

    /// <summary>Folds a session start or a purchase of a player of <paramref name="experiment"/>; other events only move the newest time.</summary>
    public void Observe(GameEvent e, ExperimentPolicy? experiment)
    {
        ArgumentNullException.ThrowIfNull(e);
        var t = e.Time.UtcTicks;
        if (t > _newest)
        {
            _newest = t;
            _newestChanged = true;
        }

        if (experiment is null || e.Payload is not (SessionStarted or PurchaseCompleted))
        {
            return;
        }

        var key = (e.GameId, e.UserId);
        if (!_players.TryGetValue(key, out var player) || player.ExperimentId != experiment.Id)
        {
            player = new Player(experiment.Id, experiment.TreatmentShare, long.MinValue, false, false, false);
        }

        player = e.Payload switch
        {
            SessionStarted when player.First == long.MinValue => player with { First = t },
            SessionStarted when t >= player.First + Day && t < player.First + (2 * Day) => player with { D1 = true },
            SessionStarted when t >= player.First + (7 * Day) && t < player.First + (8 * Day) => player with { D7 = true },
            PurchaseCompleted => player with { Paid = true },
            _ => player,
        };
        _players[key] = player;
        _changed.Add(key);
    }

    /// <summary>Whether an hour of event time has passed since the counts were last written out (then they are due again).</summary>
    public bool PublishDue() => _newest != long.MinValue && _newest - _published >= TimeSpan.TicksPerHour;

    /// <summary>The counts per game and experiment, as of the newest event; marks them written out.</summary>
    public List<(string GameId, string ExperimentId, ArmCounts Treatment, ArmCounts Control)> Counts()
    {
        _published = _newest;
        _newestChanged = true;
        return [.. _players
            .GroupBy(p => (p.Key.GameId, p.Value.ExperimentId))
            .OrderBy(g => g.Key.GameId, StringComparer.Ordinal).ThenBy(g => g.Key.ExperimentId, StringComparer.Ordinal)
            .Select(g => (g.Key.GameId, g.Key.ExperimentId,
                Tally(g.Where(p => ArmOf(p.Key.UserId, p.Value) == Arm.Treatment).Select(p => p.Value)),
                Tally(g.Where(p => ArmOf(p.Key.UserId, p.Value) == Arm.Control).Select(p => p.Value))))];
    }

    public void WriteChanges(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer, [.. _changed.Select(key => (key, _players[key]))]);
        _changed.Clear();
        _newestChanged = false;
    }

    public void ApplyChanges(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _newest = Math.Max(_newest, reader.ReadInt64());
        _published = Math.Max(_published, reader.ReadInt64());
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var key = (reader.ReadString(), reader.ReadString());
            _players[key] = new Player(reader.ReadString(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean());
        }
    }

    public void WriteSnapshot(BinaryWriter writer) => Write(writer, [.. _players.Select(p => (p.Key, p.Value))]);

    public void ReadSnapshot(BinaryReader reader) => ApplyChanges(reader);

    private static Arm ArmOf(string userId, Player player) => ExperimentArms.Of(player.ExperimentId, userId, player.Share);

    private ArmCounts Tally(IEnumerable<Player> players)
    {
        long enrolled = 0, d1Eligible = 0, d1 = 0, d7Eligible = 0, d7 = 0, payers = 0;
        foreach (var player in players)
        {
            payers += player.Paid ? 1 : 0;
            if (player.First == long.MinValue)
            {
                continue;
            }

            enrolled++;
            d1Eligible += _newest >= player.First + (2 * Day) ? 1 : 0;
            d1 += player.D1 ? 1 : 0;
            d7Eligible += _newest >= player.First + (8 * Day) ? 1 : 0;
            d7 += player.D7 ? 1 : 0;
        }

        return new ArmCounts { Enrolled = enrolled, D1Eligible = d1Eligible, D1Returned = d1, D7Eligible = d7Eligible, D7Returned = d7, Payers = payers };
    }

    private void Write(BinaryWriter writer, List<((string GameId, string UserId) Key, Player Player)> players)
    {
        writer.Write(_newest);
        writer.Write(_published);
        writer.Write(players.Count);
        foreach (var (key, player) in players)
        {
            writer.Write(key.GameId);
            writer.Write(key.UserId);
            writer.Write(player.ExperimentId);
            writer.Write(player.Share);
            writer.Write(player.First);
            writer.Write(player.D1);
            writer.Write(player.D7);
            writer.Write(player.Paid);
        }
    }

    /// <summary>A player's record; <see cref="First"/> is <see cref="long.MinValue"/> until a session start (a payer only).</summary>
    private sealed record Player(string ExperimentId, double Share, long First, bool D1, bool D7, bool Paid);
}
