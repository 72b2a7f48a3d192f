using GameSignals.Events;
using GameSignals.Profiles;
using static GameSignals.Tests.Profiles.ProfileEvents;

namespace GameSignals.Tests.Profiles;

public sealed class ProfileFeaturesTests
{
    private static readonly ProfileOptions Options = new();

    private static IReadOnlyDictionary<string, double> FeaturesAfter(params GameEvent[] events) =>
        ProfileFeatures.Read(ProfileUpdater.Apply(PlayerProfile.New("odin", "u1"), events, "game-events/0", Options));

    [Fact]
    public void A_fold_keeps_the_server_and_platform_it_holds_when_a_later_event_names_the_same_ones()
    {
        // A long-lived fold that took each event's copy would refer to young strings: every collection would scan it.
        var (server, platform) = (new string("kr-01".AsSpan()), new string("ios".AsSpan()));
        var t0 = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        var fold = new ProfileFeatures.Fold(PlayerProfile.New("odin", "u1"));
        fold.Apply(new ProfileFact(ProfileFactKind.SessionStarted, t0, server, Platform: platform));
        fold.Apply(new ProfileFact(ProfileFactKind.SessionStarted, t0.AddMinutes(1), new string("kr-01".AsSpan()), Platform: new string("ios".AsSpan())));

        var profile = fold.ToProfile(PlayerProfile.New("odin", "u1").Applied);
        Assert.Same(server, profile.Server);
        Assert.Same(platform, profile.Platform);
        Assert.Equal(t0.AddMinutes(1), profile.ServerSince);

        fold.Apply(new ProfileFact(ProfileFactKind.SessionStarted, t0.AddMinutes(2), "eu-02", Platform: "android"));
        var moved = fold.ToProfile(profile.Applied);
        Assert.Equal(("eu-02", "android"), (moved.Server, moved.Platform));
    }

    [Fact]
    public void Pvp_matches_move_the_win_rate_and_the_match_rate()
    {
        var features = FeaturesAfter(
            Pvp("win", TimeSpan.Zero, 1), Pvp("win", TimeSpan.FromMinutes(10), 2), Pvp("loss", TimeSpan.FromMinutes(20), 3), Pvp("draw", TimeSpan.FromMinutes(30), 4));

        Assert.Equal(4, features["pvpMatchesPerDay"], tolerance: 0.05); // seen for less than a day: counted over one day
        var expected = ((1 + 1 + 0 + 0.5) + (0.5 * ProfileFeatures.PriorObservations)) / (4 + ProfileFeatures.PriorObservations);
        Assert.Equal(expected, features["pvpWinRate"], tolerance: 0.005);
    }

    [Fact]
    public void Dungeon_clears_count_and_average_their_difficulty()
    {
        var features = FeaturesAfter(
            Event(new DungeonCleared("d1", 2, 600), EventTypes.DungeonCleared, TimeSpan.Zero, 1),
            Event(new DungeonCleared("d2", 4, 600), EventTypes.DungeonCleared, TimeSpan.FromMinutes(1), 2));

        Assert.Equal(2, features["dungeonClearsPerDay"], tolerance: 0.05);
        Assert.Equal(3, features["dungeonDifficulty"], tolerance: 0.05);
    }

    [Fact]
    public void Main_and_side_quests_set_the_main_quest_share()
    {
        var mainOnly = FeaturesAfter([.. Enumerable.Range(1, 8).Select(i => Event(new QuestCompleted("q" + i, true), EventTypes.QuestCompleted, TimeSpan.FromMinutes(i), i))]);
        var sideOnly = FeaturesAfter([.. Enumerable.Range(1, 8).Select(i => Event(new QuestCompleted("q" + i, false), EventTypes.QuestCompleted, TimeSpan.FromMinutes(i), i))]);

        Assert.True(mainOnly["mainQuestShare"] > 0.8, $"main only: {mainOnly["mainQuestShare"]}");
        Assert.True(sideOnly["mainQuestShare"] < 0.2, $"side only: {sideOnly["mainQuestShare"]}");
    }

    [Fact]
    public void Sessions_give_play_time_sessions_and_platform_and_deaths_are_per_hour_played()
    {
        var features = FeaturesAfter(
            Session("ios", TimeSpan.Zero, 1),
            Event(new CharacterDied("forest", "mob"), EventTypes.CharacterDied, TimeSpan.FromMinutes(30), 2),
            Event(new CharacterDied("forest", "mob"), EventTypes.CharacterDied, TimeSpan.FromMinutes(40), 3),
            SessionEnd(7200, TimeSpan.FromHours(2), 4));

        Assert.Equal(1, features["sessionsPerDay"], tolerance: 0.05);
        Assert.Equal(2, features["playHoursPerDay"], tolerance: 0.05);
        Assert.Equal(1, features["deathsPerPlayHour"], tolerance: 0.05);
        Assert.Equal(1, features["platform.ios"]);
        Assert.Equal(0, features["platform.android"]);
    }

    [Fact]
    public void Level_ups_keep_the_highest_level()
    {
        var features = FeaturesAfter(
            Event(new LevelUp(12), EventTypes.LevelUp, TimeSpan.Zero, 1),
            Event(new LevelUp(11), EventTypes.LevelUp, TimeSpan.FromMinutes(1), 2));

        Assert.Equal(12, features["level"]);
    }

    [Fact]
    public void Market_sales_count_and_add_price_times_quantity()
    {
        var features = FeaturesAfter(
            Event(new ItemSold("i1", "Relic", 2, 1000), EventTypes.ItemSold, TimeSpan.Zero, 1),
            Event(new ItemSold("i2", "Relic", 1, 500), EventTypes.ItemSold, TimeSpan.FromMinutes(1), 2));

        Assert.Equal(2, features["marketSalesPerDay"], tolerance: 0.05);
        Assert.Equal(2500, features["marketValuePerDay"], tolerance: 5);
    }

    [Fact]
    public void Purchases_add_spend_in_the_reference_currency()
    {
        var profile = ProfileUpdater.Apply(
            PlayerProfile.New("odin", "u1"), [Purchase(4.99m, "USD", TimeSpan.Zero, 1), Purchase(11000, "KRW", TimeSpan.FromMinutes(1), 2)], "payment-events/3", Options);

        Assert.Equal(2, profile.Purchases);
        Assert.Equal(4.99 + (11000 * Options.CurrencyRates["KRW"]), profile.Spend, 6);
    }

    [Fact]
    public void A_rate_halves_one_half_life_after_the_activity_stops()
    {
        var active = Enumerable.Range(0, 20).Select(i => Pvp("win", TimeSpan.FromDays(i), i + 1)).ToList();
        var later = active.Append(Session("pc", TimeSpan.FromDays(19) + ProfileFeatures.ShortHalfLife, 100)).ToArray();

        var atEnd = FeaturesAfter([.. active])["pvpMatchesPerDay"];
        var oneHalfLifeLater = FeaturesAfter(later)["pvpMatchesPerDay"];

        // The exposure grows a little meanwhile, so the rate drops to somewhat less than half.
        Assert.InRange(oneHalfLifeLater / atEnd, 0.3, 0.5);
    }

    [Fact]
    public void An_old_session_arriving_after_newer_payments_still_sets_the_platform()
    {
        var profile = ProfileUpdater.Apply(PlayerProfile.New("odin", "u1"), [Purchase(1, "USD", TimeSpan.FromHours(1), 1)], "payment-events/3", Options);
        profile = ProfileUpdater.Apply(profile, [Session("android", TimeSpan.Zero, 1)], "game-events/0", Options);

        Assert.Equal("android", profile.Platform);
        Assert.Equal(Start + TimeSpan.FromHours(1), profile.LastSeen);
        Assert.Equal(Start, profile.FirstSeen);
    }

    [Fact]
    public void Unknown_event_types_do_not_make_profiles() =>
        Assert.False(ProfileFeatures.IsProfileEvent("game.world.boss_spawned"));
}
