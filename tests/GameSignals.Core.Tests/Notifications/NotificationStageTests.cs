using GameSignals.Events;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Core.Tests.Notifications;

public class NotificationStageTests
{
    private static readonly NotificationRule LowHp = NotificationHarness.ExampleRules.Single(r => r.Id == "low-hp-auto");

    private static GameEvent LowHpEvent(DateTimeOffset time, string hp = "100", string characterId = "c1", string userId = "u1") =>
        TestEvents.Make(EventTypes.HpChanged, $$"""{"hp":{{hp}},"maxHp":4000,"autoBattle":true,"inCombat":true,"zone":"z"}""", time, userId, characterId);

    [Fact]
    public async Task The_body_shows_numbers_as_written_and_the_players_language_from_a_session_earlier_in_the_same_batch()
    {
        var harness = new NotificationHarness([LowHp]);

        await harness.RunAsync(TestEvents.Session("ko-KR", TestEvents.T0), LowHpEvent(TestEvents.T0.AddSeconds(1), hp: "244"));

        var n = Assert.Single(harness.Memory.All);
        Assert.Equal(("ko", "HP 위험", "c1 HP 244/4000"), (n.Locale, n.Title, n.Body));
    }

    [Fact]
    public async Task A_decimal_spelling_is_kept_and_a_missing_placeholder_renders_empty()
    {
        var rule = LowHp with { Templates = [new("en", "{data.zone}{data.nowhere}!", "{data.hp} of {data.maxHp}")] };
        var harness = new NotificationHarness([rule]);

        await harness.RunAsync(LowHpEvent(TestEvents.T0, hp: "12.50"));

        var n = Assert.Single(harness.Memory.All);
        Assert.Equal(("z!", "12.50 of 4000"), (n.Title, n.Body));
    }

    [Theory]
    [InlineData("ja-JP", "en", "HP low")]
    [InlineData(null, "en", "HP low")]
    [InlineData("ko", "ko", "HP 위험")]
    public async Task The_template_falls_back_to_english(string? locale, string expectedLocale, string expectedTitle)
    {
        var harness = new NotificationHarness([LowHp]);
        var events = locale is null ? new[] { LowHpEvent(TestEvents.T0) } : [TestEvents.Session(locale, TestEvents.T0), LowHpEvent(TestEvents.T0)];

        await harness.RunAsync(events);

        var n = Assert.Single(harness.Memory.All);
        Assert.Equal((expectedLocale, expectedTitle), (n.Locale, n.Title));
    }

    [Fact]
    public async Task Without_an_english_template_the_first_template_is_used()
    {
        var harness = new NotificationHarness([LowHp with { Templates = [new("ko", "K", "k"), new("de", "D", "d")] }]);

        await harness.RunAsync(TestEvents.Session("fr-FR", TestEvents.T0), LowHpEvent(TestEvents.T0));

        Assert.Equal("ko", Assert.Single(harness.Memory.All).Locale);
    }

    [Fact]
    public async Task The_latest_session_decides_the_language_even_when_an_older_one_arrives_later()
    {
        var harness = new NotificationHarness([LowHp]);
        await harness.RunAsync(TestEvents.Session("ko-KR", TestEvents.T0.AddMinutes(10)));

        await harness.RunAsync(TestEvents.Session("en-US", TestEvents.T0), LowHpEvent(TestEvents.T0.AddMinutes(11)));

        Assert.Equal("ko", Assert.Single(harness.Memory.All).Locale);
    }

    [Fact]
    public async Task A_cooldown_suppresses_until_the_previous_notification_is_as_old_as_the_cooldown_in_event_time()
    {
        var harness = new NotificationHarness([LowHp]);
        var first = LowHpEvent(TestEvents.T0);
        var inside = LowHpEvent(TestEvents.T0.AddMinutes(5).AddMilliseconds(-1));
        var otherCharacter = LowHpEvent(TestEvents.T0.AddMinutes(1), characterId: "c2");
        var atBoundary = LowHpEvent(TestEvents.T0.AddMinutes(5));
        var afterBoundary = LowHpEvent(TestEvents.T0.AddMinutes(9));
        var secondWindowEnd = LowHpEvent(TestEvents.T0.AddMinutes(10));

        // Wall-clock time does not matter: the fake clock never moves.
        await harness.RunAsync(first, inside, otherCharacter, atBoundary, afterBoundary, secondWindowEnd);

        Assert.Equal(
            new[] { first.Id, otherCharacter.Id, atBoundary.Id, secondWindowEnd.Id }.Order(),
            harness.Memory.All.Select(n => n.EventId).Order());
    }

    [Fact]
    public async Task A_cooldown_reaching_past_the_end_of_time_lasts_to_it_instead_of_failing_the_batch()
    {
        var harness = new NotificationHarness([LowHp with { Cooldown = "P3650000D" }]);
        var last = EventDecoder.LatestTime.AddSeconds(-1);
        var first = LowHpEvent(last.AddSeconds(-1));
        var inside = LowHpEvent(last);

        await harness.RunAsync(first, inside);

        Assert.Equal([first.Id], harness.Memory.All.Select(n => n.EventId));
    }

    [Fact]
    public async Task A_condition_that_reads_a_missing_field_or_fails_is_counted_not_thrown()
    {
        var harness = new NotificationHarness([LowHp with { Condition = "data.shield > 1" }, LowHp with { Id = "broken", Condition = "data.zone > 1" }]);
        var counted = new List<(long Value, string? Reason)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, harness.Metrics.ConditionNoMatch))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            counted.Add((value, tags.ToArray().Single(t => t.Key == "reason").Value as string)));
        listener.Start();

        await harness.RunAsync(LowHpEvent(TestEvents.T0));

        Assert.Empty(harness.Memory.All);
        Assert.Equal([(1L, "error"), (1L, "missing_field")], counted.OrderBy(c => c.Reason));
    }

    [Fact]
    public async Task A_rule_without_cooldown_notifies_on_every_match_and_a_non_match_not_at_all()
    {
        var died = NotificationHarness.ExampleRules.Single(r => r.Id == "died-pve");
        var harness = new NotificationHarness([died]);

        await harness.RunAsync(
            TestEvents.Make(EventTypes.CharacterDied, """{"zone":"forest","cause":"mob"}"""),
            TestEvents.Make(EventTypes.CharacterDied, """{"zone":"forest","cause":"mob"}"""),
            TestEvents.Make(EventTypes.CharacterDied, """{"zone":"arena","cause":"pvp"}"""));

        Assert.Equal(2, harness.Memory.All.Count);
    }

    [Fact]
    public async Task A_batch_processed_twice_yields_the_same_notifications_and_push_requests_once()
    {
        var harness = new NotificationHarness([LowHp]);
        var batch = new[] { TestEvents.Session("ko-KR", TestEvents.T0), LowHpEvent(TestEvents.T0), LowHpEvent(TestEvents.T0.AddMinutes(1)), LowHpEvent(TestEvents.T0.AddMinutes(6)) };

        await harness.RunAsync(batch);
        var first = harness.Memory.All.OrderBy(n => n.Id).ToList();
        await harness.RunAsync(batch);

        Assert.Equal(2, first.Count);
        Assert.Equal(first.Select(n => (n.Id, n.Body)), harness.Memory.All.OrderBy(n => n.Id).Select(n => (n.Id, n.Body)));
        Assert.Equal(first.Select(n => n.Id), harness.Queue.Requests.Select(r => r.NotificationId).Order());
    }

    [Fact]
    public async Task A_failure_between_the_notification_write_and_the_push_gives_one_notification_and_one_push_after_redelivery()
    {
        var push = new FailingPushQueue();
        var harness = new NotificationHarness([LowHp], push: push);
        var batch = new[] { LowHpEvent(TestEvents.T0), LowHpEvent(TestEvents.T0.AddMinutes(2)) };

        push.FailNext = true;
        await Assert.ThrowsAsync<IOException>(() => harness.RunAsync(batch).AsTask());
        var written = Assert.Single(harness.Memory.All);
        Assert.Empty(push.Inner.Requests);

        await harness.RunAsync(batch);

        Assert.Equal(written.Id, Assert.Single(harness.Memory.All).Id);
        Assert.Equal(written.Id, Assert.Single(push.Inner.Requests).NotificationId);
    }

    [Fact]
    public async Task A_redelivered_event_is_not_suppressed_by_the_cooldown_a_later_event_reopened()
    {
        var harness = new NotificationHarness([LowHp]);
        var early = LowHpEvent(TestEvents.T0);
        var late = LowHpEvent(TestEvents.T0.AddMinutes(6));
        await harness.RunAsync(early, late);

        // The early event comes again alone (its batch was split differently on redelivery).
        await harness.RunAsync(early);

        Assert.Equal(new[] { early.Id, late.Id }.Order(), harness.Memory.All.Select(n => n.EventId).Order());
        Assert.Equal(2, harness.Queue.Requests.Count);
    }

    [Fact]
    public async Task The_notification_id_depends_on_rule_source_and_event_id_only()
    {
        var harness = new NotificationHarness([LowHp]);
        var e = LowHpEvent(TestEvents.T0);

        await harness.RunAsync(e);

        Assert.Equal(Notification.IdFor("low-hp-auto", e.Source, e.Id), Assert.Single(harness.Memory.All).Id);
        Assert.NotEqual(Notification.IdFor("a", "b", "c"), Notification.IdFor("a", "bc", ""));
        Assert.Matches("^[0-9a-f]{32}$", Notification.IdFor("a", "b", "c"));
    }

    [Fact]
    public async Task A_stored_notification_carries_the_contracts_replay_fields_in_its_json()
    {
        var harness = new NotificationHarness([LowHp]);
        await harness.RunAsync(LowHpEvent(TestEvents.T0));

        var json = System.Text.Json.JsonSerializer.SerializeToElement(Assert.Single(harness.Memory.All), NotificationsJsonContext.Default.Notification);

        var names = json.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "id", "ruleId", "gameId", "userId", "characterId", "eventId", "time", "priority", "channels", "locale", "title", "body", "read", "createdAt", "ttl" }, names);
        Assert.DoesNotContain("inInbox", names);
        Assert.Equal("2026-11-01T12:00:00+00:00", json.GetProperty("time").GetString());
        Assert.Equal(["push", "inbox"], json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task The_replay_line_has_exactly_the_contracts_fields_in_order()
    {
        var harness = new NotificationHarness([LowHp]);
        var e = LowHpEvent(TestEvents.T0, hp: "244");
        await harness.RunAsync(TestEvents.Session("ko-KR", TestEvents.T0), e);
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            Assert.Single(harness.Memory.All).WriteReplayLine(writer);
        }

        var line = System.Text.Json.JsonDocument.Parse(buffer.ToArray()).RootElement;

        Assert.Equal(
            ["id", "ruleId", "gameId", "userId", "characterId", "eventId", "time", "priority", "channels", "locale", "title", "body"],
            line.EnumerateObject().Select(p => p.Name));
        Assert.Equal((e.Id, "c1", "high", "ko", "c1 HP 244/4000"),
            (line.GetProperty("eventId").GetString(), line.GetProperty("characterId").GetString(), line.GetProperty("priority").GetString(),
             line.GetProperty("locale").GetString(), line.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task Push_only_notifications_are_stored_and_pushed_but_not_in_the_inbox()
    {
        var harness = new NotificationHarness([LowHp with { Channels = ["push"] }, LowHp with { Id = "inbox-only", Channels = ["inbox"] }]);

        await harness.RunAsync(LowHpEvent(TestEvents.T0));

        Assert.Equal(2, harness.Memory.All.Count);
        var pushed = Assert.Single(harness.Queue.Requests);
        Assert.Equal(Notification.IdFor("low-hp-auto", "/games/odin/kr-01", harness.Memory.All.Single(n => n.RuleId == "low-hp-auto").EventId), pushed.NotificationId);
        var inbox = await harness.Memory.ListInboxAsync("odin", "u1", 10, null, CancellationToken.None);
        Assert.Equal("inbox-only", Assert.Single(inbox.Items).RuleId);
    }

    [Fact]
    public async Task The_inbox_lists_newest_first_in_pages_with_the_unread_count_and_marks_read_idempotently()
    {
        var harness = new NotificationHarness([LowHp with { Cooldown = null }]);
        await harness.RunAsync([.. Enumerable.Range(0, 5).Select(i => LowHpEvent(TestEvents.T0.AddMinutes(i)))]);
        var store = harness.Memory;

        var page1 = await store.ListInboxAsync("odin", "u1", 2, null, CancellationToken.None);
        Assert.True(await store.MarkReadAsync("u1", page1.Items[0].Id, CancellationToken.None));
        Assert.True(await store.MarkReadAsync("u1", page1.Items[0].Id, CancellationToken.None));
        var page2 = await store.ListInboxAsync("odin", "u1", 2, page1.ContinuationToken, CancellationToken.None);
        var page3 = await store.ListInboxAsync("odin", "u1", 2, page2.ContinuationToken, CancellationToken.None);

        var times = page1.Items.Concat(page2.Items).Concat(page3.Items).Select(n => n.Time).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => TestEvents.T0.AddMinutes(i)), times);
        Assert.Null(page3.ContinuationToken);
        Assert.Equal(5, page1.UnreadCount);
        Assert.Equal(4, page3.UnreadCount);
        Assert.False(await store.MarkReadAsync("u2", page1.Items[0].Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_notification_expires_after_its_ttl_in_event_time()
    {
        var store = new InMemoryNotificationStore();
        Notification At(DateTimeOffset time, string id) => new()
        {
            Id = id, RuleId = "r", GameId = "g", UserId = "u1", EventId = id, Time = time, Priority = "normal",
            Channels = ["inbox"], Locale = "en", Title = "t", Body = "b", Ttl = (int)TimeSpan.FromDays(30).TotalSeconds,
        };

        await store.CreateAsync(At(TestEvents.T0, "old"), CancellationToken.None);
        await store.CreateAsync(At(TestEvents.T0.AddDays(29), "mid"), CancellationToken.None);
        Assert.Equal(2, (await store.ListInboxAsync("g", "u1", 10, null, CancellationToken.None)).Items.Count);
        await store.CreateAsync(At(TestEvents.T0.AddDays(30), "new"), CancellationToken.None);

        Assert.Equal(["new", "mid"], (await store.ListInboxAsync("g", "u1", 10, null, CancellationToken.None)).Items.Select(n => n.Id));
    }

    [Fact]
    public async Task AddNotifications_registers_the_stage_and_its_in_memory_stores()
    {
        var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)).AddNotifications(o => o.InboxTtl = TimeSpan.FromDays(7));
        services.AddNotifications();
        await using var provider = services.BuildServiceProvider();

        var stage = Assert.Single(provider.GetServices<IEventStage>());
        Assert.IsType<NotificationStage>(stage);
        var rules = provider.GetRequiredService<IRuleStore>();
        await rules.UpsertAsync(LowHp, null, CancellationToken.None);

        await stage.ProcessAsync(new EventBatch("game-events", "0", [LowHpEvent(TestEvents.T0)], TestStates.Fresh()), CancellationToken.None);

        var n = Assert.Single(((InMemoryNotificationStore)provider.GetRequiredService<INotificationStore>()).All);
        Assert.Equal((int)TimeSpan.FromDays(7).TotalSeconds, n.Ttl);
    }

    private sealed class FailingPushQueue : IPushQueue
    {
        public InMemoryPushQueue Inner { get; } = new();

        public bool FailNext { get; set; }

        public ValueTask EnqueueAsync(PushRequest request, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("queue unavailable");
            }

            return Inner.EnqueueAsync(request, cancellationToken);
        }
    }
}
