using GameSignals.Events;
using GameSignals.Notifications;

namespace GameSignals.Core.Tests.Notifications;

/// <summary>Rule states through the notification stage: shadow rules record apart with their own cooldowns, off rules never run.</summary>
public sealed class ShadowRuleTests
{
    private static readonly NotificationRule Active = NotificationHarness.ExampleRules.Single(r => r.Id == "low-hp-auto") with { Cooldown = null };

    /// <summary>Matches hp below 1000 but not below 51; the active rule matches hp below 800.</summary>
    private static readonly NotificationRule Candidate = Active with
    {
        Id = "low-hp-v2", State = "shadow", ShadowOf = "low-hp-auto", Condition = "data.hp * 4 < data.maxHp && data.hp > 50",
    };

    private static GameEvent Hp(int hp, DateTimeOffset time, string characterId = "c1") =>
        TestEvents.Make(EventTypes.HpChanged, $$"""{"hp":{{hp}},"maxHp":4000,"autoBattle":true,"inCombat":true,"zone":"z"}""", time, "u1", characterId);

    [Fact]
    public async Task A_shadow_rule_records_what_it_would_send_and_sends_nothing()
    {
        var harness = new NotificationHarness([Candidate with { ShadowOf = null }]);
        var e = Hp(900, TestEvents.T0);

        await harness.RunAsync(TestEvents.Session("ko-KR", TestEvents.T0), e);

        Assert.Empty(harness.Memory.All);
        Assert.Empty(harness.Queue.Requests);
        var record = Assert.Single(harness.Shadows.All);
        Assert.Equal((Notification.IdFor("low-hp-v2", e.Source, e.Id), true, false), (record.Id, record.Matched, record.ActiveMatched));
        Assert.Equal(("low-hp-v2", "ko", "c1 HP 900/4000"), (record.Notification!.RuleId, record.Notification.Locale, record.Notification.Body));
        Assert.Empty((await harness.Memory.ListInboxAsync("odin", "u1", 10, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task An_off_rule_is_never_evaluated()
    {
        var harness = new NotificationHarness([Active with { State = "off" }, Candidate with { State = "off", Condition = "data.zone > 1" }]);
        using var unevaluable = new CounterTotal(harness.Metrics.ConditionNoMatch);

        await harness.RunAsync(Hp(100, TestEvents.T0));

        Assert.Empty(harness.Memory.All);
        Assert.Empty(harness.Shadows.All);
        Assert.Equal(0, unevaluable.Total);
    }

    [Fact]
    public async Task A_candidate_is_compared_with_the_active_rule_over_the_same_events()
    {
        var harness = new NotificationHarness([Active, Candidate]);
        var both = Hp(100, TestEvents.T0, "c1");
        var onlyShadow = Hp(900, TestEvents.T0.AddMinutes(1), "c2");
        var onlyActive = Hp(10, TestEvents.T0.AddMinutes(2), "c3");
        var neither = Hp(2000, TestEvents.T0.AddMinutes(3), "c4");

        await harness.RunAsync(both, onlyShadow, onlyActive, neither);
        var comparison = await ShadowReport.CompareAsync(harness.Shadows, "odin", "low-hp-v2", null, null, CancellationToken.None);

        Assert.Equal(("low-hp-auto", 2L), (comparison.ShadowOf, comparison.ShadowNotifications));
        Assert.Equal((1L, 1L, 1L), (comparison.Both.Count, comparison.OnlyActive.Count, comparison.OnlyShadow.Count));
        Assert.Equal([both.Id], comparison.Both.SampleEventIds);
        Assert.Equal([onlyActive.Id], comparison.OnlyActive.SampleEventIds);
        Assert.Equal([onlyShadow.Id], comparison.OnlyShadow.SampleEventIds);
        Assert.Equal(new[] { both.Id, onlyActive.Id }.Order(), harness.Memory.All.Select(n => n.EventId).Order());
        var bounded = await ShadowReport.CompareAsync(harness.Shadows, "odin", "low-hp-v2", TestEvents.T0.AddMinutes(1), TestEvents.T0.AddMinutes(2), CancellationToken.None);
        Assert.Equal((0L, 0L, 1L), (bounded.Both.Count, bounded.OnlyActive.Count, bounded.OnlyShadow.Count));
    }

    [Fact]
    public async Task Shadow_counts_are_per_hour_of_event_time_and_count_matches_its_cooldown_held_back()
    {
        var harness = new NotificationHarness([Candidate with { ShadowOf = null, Cooldown = "PT5M" }]);

        await harness.RunAsync(
            Hp(900, TestEvents.T0), Hp(900, TestEvents.T0.AddMinutes(1)), Hp(900, TestEvents.T0.AddMinutes(70)), Hp(900, TestEvents.T0.AddMinutes(71), "c2"));
        var hours = await ShadowReport.HourlyAsync(harness.Shadows, "odin", "low-hp-v2", null, null, CancellationToken.None);

        Assert.Equal([new(TestEvents.T0, 1, 2), new ShadowHourCount(TestEvents.T0.AddHours(1), 2, 2)], hours);
    }

    [Fact]
    public async Task A_rule_in_shadow_and_then_active_keeps_its_cooldowns_apart_in_each_state()
    {
        var rule = Active with { State = "shadow", Cooldown = "PT90S" };
        var harness = new NotificationHarness([rule]);
        var inShadow = Hp(100, TestEvents.T0);
        var active = Hp(100, TestEvents.T0.AddSeconds(60));
        var shadowAgain = Hp(100, TestEvents.T0.AddSeconds(120));

        await harness.RunAsync(inShadow);
        await SwitchAsync(harness, rule with { State = "active" });
        await harness.RunAsync(active);
        await SwitchAsync(harness, rule);
        await harness.RunAsync(shadowAgain);

        // The active notification inside the shadow cooldown, and the shadow one inside the active cooldown, both went through.
        Assert.Equal([active.Id], harness.Memory.All.Select(n => n.EventId));
        Assert.Equal(new[] { inShadow.Id, shadowAgain.Id }.Order(), harness.Shadows.All.Where(r => r.Notification is not null).Select(r => r.EventId).Order());
    }

    [Fact]
    public async Task A_batch_that_fired_a_shadow_rule_redelivered_records_nothing_twice()
    {
        var harness = new NotificationHarness([Active with { Cooldown = "PT5M" }, Candidate with { Cooldown = "PT5M" }]);
        using var recorded = new CounterTotal(harness.Metrics.ShadowRecorded);
        GameEvent[] batch = [Hp(100, TestEvents.T0), Hp(100, TestEvents.T0.AddMinutes(1)), Hp(900, TestEvents.T0.AddMinutes(6)), Hp(10, TestEvents.T0.AddMinutes(7))];

        await harness.RunAsync(batch);
        var first = Snapshot(harness.Shadows);
        await harness.RunAsync(batch);

        Assert.Equal(first, Snapshot(harness.Shadows));
        Assert.Equal(4, first.Count);
        Assert.Equal(2, first.Count(r => r.Sent));
        Assert.Equal(2, recorded.Total);
    }

    [Fact]
    public async Task A_failure_between_opening_the_shadow_cooldown_and_the_record_gives_one_record_after_redelivery()
    {
        var failing = new FailingShadowStore();
        var harness = new NotificationHarness([Candidate with { ShadowOf = null, Cooldown = "PT5M" }], shadows: failing);
        var first = Hp(900, TestEvents.T0);
        var inside = Hp(900, TestEvents.T0.AddMinutes(1));

        await Assert.ThrowsAsync<IOException>(() => harness.RunAsync(first, inside).AsTask());
        Assert.Empty(failing.Inner.All);
        await harness.RunAsync(first, inside);

        Assert.Equal([first.Id], failing.Inner.All.Where(r => r.Notification is not null).Select(r => r.EventId));
        Assert.Equal(2, failing.Inner.All.Count);
    }

    [Fact]
    public async Task A_redelivered_shadow_event_is_not_held_back_by_the_cooldown_a_later_event_reopened()
    {
        var harness = new NotificationHarness([Candidate with { ShadowOf = null, Cooldown = "PT5M" }]);
        var early = Hp(900, TestEvents.T0);
        var late = Hp(900, TestEvents.T0.AddMinutes(6));
        await harness.RunAsync(early, late);

        await harness.RunAsync(early);

        Assert.Equal(new[] { early.Id, late.Id }.Order(), harness.Shadows.All.Where(r => r.Notification is not null).Select(r => r.EventId).Order());
    }

    [Fact]
    public async Task Would_be_notifications_are_listed_newest_first_in_pages_between_two_times()
    {
        var harness = new NotificationHarness([Candidate with { ShadowOf = null }]);
        await harness.RunAsync([.. Enumerable.Range(0, 5).Select(i => Hp(900, TestEvents.T0.AddMinutes(i)))]);

        var page1 = await harness.Shadows.ListNotificationsAsync(new("odin", "low-hp-v2", TestEvents.T0.AddMinutes(1), TestEvents.T0.AddMinutes(4), 2, null), CancellationToken.None);
        var page2 = await harness.Shadows.ListNotificationsAsync(new("odin", "low-hp-v2", TestEvents.T0.AddMinutes(1), TestEvents.T0.AddMinutes(4), 2, page1.ContinuationToken), CancellationToken.None);

        Assert.Equal([3, 2, 1], page1.Items.Concat(page2.Items).Select(n => (int)(n.Time - TestEvents.T0).TotalMinutes));
        Assert.Null(page2.ContinuationToken);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Shadows.ListNotificationsAsync(new("odin", "low-hp-v2", null, null, 2, "nonsense"), CancellationToken.None).AsTask());
    }

    private static async Task SwitchAsync(NotificationHarness harness, NotificationRule rule)
    {
        await harness.RuleStore.UpsertAsync(rule, null, CancellationToken.None);
        harness.Time.Advance(new NotificationOptions().RuleRefreshInterval);
    }

    private static List<(string Id, bool Matched, bool ActiveMatched, bool Sent)> Snapshot(InMemoryShadowNotificationStore store) =>
        [.. store.All.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (r.Id, r.Matched, r.ActiveMatched, r.Notification is not null))];

    /// <summary>A shadow store whose first create fails, as an outage after the cooldown was opened.</summary>
    private sealed class FailingShadowStore : IShadowNotificationStore
    {
        private bool _failed;

        public InMemoryShadowNotificationStore Inner { get; } = new();

        public ValueTask<bool> CreateAsync(ShadowRecord record, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("the shadow store is unavailable");
            }

            return Inner.CreateAsync(record, cancellationToken);
        }

        public ValueTask<ShadowRecord?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken) => Inner.GetAsync(gameId, ruleId, id, cancellationToken);

        public ValueTask<ShadowPage> ListNotificationsAsync(ShadowQuery query, CancellationToken cancellationToken) => Inner.ListNotificationsAsync(query, cancellationToken);

        public IAsyncEnumerable<ShadowRecord> ScanAsync(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
            Inner.ScanAsync(gameId, ruleId, since, until, cancellationToken);
    }
}
