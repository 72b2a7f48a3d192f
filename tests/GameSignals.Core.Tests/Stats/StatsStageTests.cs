using System.Globalization;
using GameSignals.Core.Tests.Notifications;
using GameSignals.Events;
using GameSignals.Experiments;
using GameSignals.Notifications;
using GameSignals.Stats;

namespace GameSignals.Core.Tests.Stats;

public sealed class StatsStageTests
{
    [Fact]
    public async Task The_third_death_sends_the_players_standing_among_peers_in_their_language_with_its_explanation()
    {
        var harness = await StatsHarness.CreateAsync();

        await harness.RunAsync(
        [
            TestEvents.Session("ko-KR", TestEvents.T0.AddMinutes(-5), userId: "fighter19"),
            StatsHarness.Death("fighter19", 0), StatsHarness.Death("fighter19", 3), StatsHarness.Death("fighter19", 6),
        ]);

        var sent = Assert.Single(harness.Notifications.Memory.All);
        Assert.Equal(("stats-deaths", "ko", "forest 고전 중"), (sent.RuleId, sent.Locale, sent.Title));
        var explanation = Assert.IsType<StatsExplanation>(sent.Explanation);
        Assert.Equal((MomentTypes.DeathsInZone, 10, 10), (explanation.Moment, explanation.K, explanation.Peers));
        var pvp = Assert.Single(explanation.Features);
        Assert.Equal(("pvpMatchesPerDay", 100.0), (pvp.Feature, pvp.Percentile)); // the busiest fighter of all
        Assert.Equal($"비슷한 플레이어 10명 중 상위 {pvp.Percentile.ToString("0", CultureInfo.InvariantCulture)}%", sent.Body);
        Assert.Single(harness.Notifications.Queue.Requests);
    }

    [Fact]
    public async Task Without_enough_peers_nothing_is_sent_and_it_is_counted()
    {
        var harness = await StatsHarness.CreateAsync();
        using var noPeers = new CounterTotal(harness.Metrics.NoPeers);

        // ares has two peers for a player (five asked for); hel has no statistics yet.
        await harness.RunAsync(
        [
            StatsHarness.Death("a0", 0, "ares"), StatsHarness.Death("a0", 1, "ares"), StatsHarness.Death("a0", 2, "ares"),
            StatsHarness.Death("h0", 0, "hel"), StatsHarness.Death("h0", 1, "hel"), StatsHarness.Death("h0", 2, "hel"),
        ]);

        Assert.Empty(harness.Notifications.Memory.All);
        Assert.Equal(2, noPeers.Total);
    }

    [Fact]
    public async Task A_control_player_gets_nothing_and_is_recorded_as_would_have_received()
    {
        var experiment = new ExperimentSettings { Id = "smart-stats-1", TreatmentShare = 0.5 };
        var harness = await StatsHarness.CreateAsync(experiment);
        var control = StatsHarness.FighterIn(Arm.Control, experiment.Id);
        var treated = StatsHarness.FighterIn(Arm.Treatment, experiment.Id);

        await harness.RunAsync([.. new[] { control, treated }.SelectMany(u => new[] { StatsHarness.Death(u, 0), StatsHarness.Death(u, 1), StatsHarness.Death(u, 2) })]);

        Assert.Equal(treated, Assert.Single(harness.Notifications.Memory.All).UserId);
        var record = Assert.Single(harness.WouldHaveReceived.All);
        Assert.Equal((control, "smart-stats-1", "stats-deaths"), (record.Notification.UserId, record.ExperimentId, record.Notification.RuleId));
        Assert.NotNull(record.Notification.Explanation);
    }

    [Fact]
    public async Task A_redelivered_batch_writes_no_second_notification_push_or_would_have_received()
    {
        var experiment = new ExperimentSettings { Id = "smart-stats-1", TreatmentShare = 0.5 };
        var harness = await StatsHarness.CreateAsync(experiment);
        var events = new[] { StatsHarness.FighterIn(Arm.Control, experiment.Id), StatsHarness.FighterIn(Arm.Treatment, experiment.Id) }
            .SelectMany(u => new[] { StatsHarness.Death(u, 0), StatsHarness.Death(u, 1), StatsHarness.Death(u, 2) }).ToArray();
        using var sent = new CounterTotal(harness.Metrics.Sent);
        using var recorded = new CounterTotal(harness.Metrics.WouldHaveReceived);

        await harness.RunAsync(events);
        // The append of the first delivery did not land: a new owner runs the batch again from the state before it.
        await harness.RunAsync(events, TestStates.Fresh());
        // And the same owner sees it again with its cooldowns.
        await harness.RunAsync(events);

        Assert.Single(harness.Notifications.Memory.All);
        Assert.Single(harness.Notifications.Queue.Requests);
        Assert.Single(harness.WouldHaveReceived.All);
        Assert.Equal((1, 1), (sent.Total, recorded.Total));
    }

    [Fact]
    public async Task A_burst_of_moments_costs_one_peers_search_until_the_cache_time_passes()
    {
        var harness = await StatsHarness.CreateAsync(null, StatsHarness.QuestRule);
        using var lookups = new CounterTotal(harness.Metrics.PeerLookups);
        using var searches = new CounterTotal(harness.Metrics.PeerSearches);
        GameEvent Quest(double minutes) =>
            TestEvents.Make(EventTypes.QuestCompleted, """{"questId":"main","main":true}""", TestEvents.T0.AddMinutes(minutes), "fighter03", id: $"q{minutes}");

        await harness.RunAsync([Quest(0), Quest(2), Quest(5), Quest(14.9)]);
        Assert.Equal((4, 1), (lookups.Total, searches.Total));

        await harness.RunAsync([Quest(15), Quest(16)]);
        Assert.Equal((6, 2), (lookups.Total, searches.Total));
        Assert.Equal(6, harness.Notifications.Memory.All.Count);
        Assert.All(harness.Notifications.Memory.All, n =>
        {
            var level = Assert.Single(n.Explanation!.Features);
            Assert.Equal($"Level 13, peers {level.PeerMedian.ToString("0.#", CultureInfo.InvariantCulture)}", n.Body);
        });
    }

    [Fact]
    public async Task A_game_without_stats_settings_has_no_moments()
    {
        var harness = await StatsHarness.CreateAsync();
        using var moments = new CounterTotal(harness.Metrics.Moments);

        await harness.RunAsync([StatsHarness.Death("x", 0, "thor"), StatsHarness.Death("x", 1, "thor"), StatsHarness.Death("x", 2, "thor")]);

        Assert.Equal(0, moments.Total);
    }

    [Theory]
    [InlineData("game.character.died", "{peers.level.value}", "only for rules on a moment")]
    [InlineData(MomentTypes.DeathsInZone, "{peers.luck.value}", "'luck' is not a profile feature")]
    [InlineData(MomentTypes.DeathsInZone, "{peers.level.mean}", "'mean' must be one of value, median, percentile")]
    [InlineData(MomentTypes.DeathsInZone, "{peers}", "write {peers.k}")]
    public void A_peers_placeholder_outside_a_moment_or_naming_no_statistic_is_refused(string eventType, string body, string cause)
    {
        var rule = StatsHarness.DeathsRule with { EventType = eventType, Templates = [new("en", "t", "x " + body)] };

        Assert.False(CompiledRule.TryCompile(rule, "v1", "rules[0]", out _, out var problems));

        var problem = Assert.Single(problems);
        Assert.Equal(("rules[0].templates.en.body", 3), (problem.Field, problem.Position));
        Assert.Contains(cause, problem.Cause, StringComparison.Ordinal);
    }
}
