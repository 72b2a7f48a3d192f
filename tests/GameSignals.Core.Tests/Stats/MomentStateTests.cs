using System.Text;
using GameSignals.Core.Tests.Notifications;
using GameSignals.Events;
using GameSignals.Stats;

namespace GameSignals.Core.Tests.Stats;

public sealed class MomentStateTests
{
    private static readonly DateTimeOffset T0 = TestEvents.T0;

    private static readonly MomentPolicy Policy = new(
        new HashSet<int> { 10, 20 }, (3, TimeSpan.FromMinutes(10)), 3, (2, TimeSpan.FromHours(1)),
        new Dictionary<string, string> { ["abyss"] = "d3" });

    private static GameEvent Death(string zone, double minutes, string userId = "u1") =>
        TestEvents.Make(EventTypes.CharacterDied, $$"""{"zone":"{{zone}}","cause":"monster"}""", T0.AddMinutes(minutes), userId);

    private static GameEvent Pvp(string result, double minutes) =>
        TestEvents.Make(EventTypes.PvpMatchEnded, $$"""{"result":"{{result}}","rating":1500}""", T0.AddMinutes(minutes));

    private static List<string> Observe(MomentState state, params GameEvent[] events) =>
        [.. events.SelectMany(e => state.Observe(e, Policy)).Select(m => $"{m.Type}:{m.Count}:{m.Subject}")];

    [Fact]
    public void The_third_death_in_a_zone_inside_the_window_is_a_moment()
    {
        var state = new MomentState();

        var moments = Observe(state, Death("forest", 0), Death("forest", 4), Death("forest", 9.99));

        Assert.Equal(["moment.deaths_in_zone:3:forest"], moments);
    }

    [Fact]
    public void A_death_exactly_a_window_after_the_first_does_not_count_the_first()
    {
        var state = new MomentState();

        // (t − 10 min, t]: the death at 0 is out of the window of the death at 10.
        var moments = Observe(state, Death("forest", 0), Death("forest", 4), Death("forest", 10));

        Assert.Empty(moments);
        Assert.Equal(["moment.deaths_in_zone:3:forest"], Observe(state, Death("forest", 11)));
    }

    [Fact]
    public void Deaths_in_other_zones_or_of_other_players_do_not_count()
    {
        var state = new MomentState();

        var moments = Observe(state, Death("forest", 0), Death("swamp", 1), Death("forest", 2, "u2"), Death("forest", 3));

        Assert.Empty(moments);
    }

    [Fact]
    public void A_late_death_counts_at_its_own_time()
    {
        var state = new MomentState();

        // Deaths at 0 and 8 arrive, then one dated 5 arrives late: the window ending at 5, (−5, 5], holds the deaths at 0 and 5 only.
        Assert.Empty(Observe(state, Death("forest", 0), Death("forest", 8), Death("forest", 5)));

        // A death at 12 sees 5, 8 and 12 in (2, 12].
        Assert.Equal(["moment.deaths_in_zone:3:forest"], Observe(state, Death("forest", 12)));
    }

    [Fact]
    public void Deaths_counted_towards_a_moment_never_count_again_even_when_a_late_one_arrives()
    {
        var state = new MomentState();
        Assert.Single(Observe(state, Death("forest", 0), Death("forest", 1), Death("forest", 2)));

        // Two late deaths from before the moment and one after: the late ones are already behind the moment.
        Assert.Empty(Observe(state, Death("forest", 1.5), Death("forest", 0.5), Death("forest", 3)));
        Assert.Empty(Observe(state, Death("forest", 4)));
        Assert.Single(Observe(state, Death("forest", 5)));
    }

    [Fact]
    public void A_loss_streak_is_a_moment_and_a_win_ends_it()
    {
        var state = new MomentState();

        Assert.Empty(Observe(state, Pvp("loss", 0), Pvp("loss", 1), Pvp("win", 2), Pvp("loss", 3), Pvp("draw", 4), Pvp("loss", 5), Pvp("loss", 6)));
        Assert.Equal(["moment.pvp_loss_streak:3:"], Observe(state, Pvp("loss", 7)));
        Assert.Empty(Observe(state, Pvp("loss", 8)));
    }

    [Fact]
    public void Failed_attempts_at_a_dungeon_are_deaths_in_its_zone_and_a_clear_starts_them_again()
    {
        var state = new MomentState();
        var clear = TestEvents.Make(EventTypes.DungeonCleared, """{"dungeonId":"d3","difficulty":3,"durationSeconds":840}""", T0.AddMinutes(2));

        Assert.Equal(["moment.dungeon_cleared:1:d3"], Observe(state, Death("abyss", 0), clear));
        Assert.Empty(Observe(state, Death("abyss", 3)));
        Assert.Equal(["moment.dungeon_attempts:2:d3"], Observe(state, Death("abyss", 50)));
    }

    [Fact]
    public void Milestones_are_a_main_quest_and_a_configured_level()
    {
        var state = new MomentState();

        var moments = Observe(
            state,
            TestEvents.Make(EventTypes.QuestCompleted, """{"questId":"q1","main":true}"""),
            TestEvents.Make(EventTypes.QuestCompleted, """{"questId":"q2","main":false}"""),
            TestEvents.Make(EventTypes.LevelUp, """{"level":19}"""),
            TestEvents.Make(EventTypes.LevelUp, """{"level":20}"""));

        Assert.Equal(["moment.main_quest_completed:1:q1", "moment.level_reached:20:"], moments);
    }

    [Fact]
    public void Progress_survives_the_changelog_and_a_snapshot_and_a_player_with_nothing_in_progress_is_forgotten()
    {
        var state = new MomentState();
        Observe(state, Death("forest", 0), Death("forest", 1), Pvp("loss", 2), Pvp("loss", 3));
        Observe(state, Death("swamp", 0, "u2"), Death("swamp", 30, "u2"));

        var fromChangelog = new MomentState();
        fromChangelog.ApplyChanges(Reader(state.WriteChanges));
        var fromSnapshot = new MomentState();
        fromSnapshot.ReadSnapshot(Reader(state.WriteSnapshot));

        foreach (var restored in new[] { fromChangelog, fromSnapshot })
        {
            Assert.Equal(2, restored.Count);
            Assert.Equal(["moment.deaths_in_zone:3:forest", "moment.pvp_loss_streak:3:"], Observe(restored, Death("forest", 2), Pvp("loss", 4)));
        }

        // u1 has nothing in progress after its moments; u2's deaths leave the window.
        Observe(state, Death("forest", 2), Pvp("loss", 4), Pvp("win", 5));
        Observe(state, Pvp("win", 200));
        Assert.Equal(1, state.Count);
    }

    private static BinaryReader Reader(Action<BinaryWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        buffer.Position = 0;
        return new BinaryReader(buffer, Encoding.UTF8);
    }
}
