using GameSignals.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Core.Tests.Notifications;

public class RuleTests
{
    [Fact]
    public void The_example_rules_load_without_problems_keeping_template_order()
    {
        var result = RulesFile.Load(Path.Combine(RepositoryFiles.Examples, "rules.json"));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(["low-hp-auto", "died-pve", "big-sale", "boss"], result.Rules.Select(r => r.Id));
        Assert.Equal(["ko", "en"], result.Rules[2].Templates.Select(t => t.Locale));
        Assert.Equal("PT5M", result.Rules[0].Cooldown);
    }

    [Fact]
    public void Every_problem_of_every_rule_is_listed_with_its_field_position_and_cause()
    {
        const string json = """
            { "rules": [
              { "id": "ok", "gameId": "g", "eventType": "t", "condition": "data.a > 1", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "", "gameId": "g", "eventType": "", "condition": "data.a > 1", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "bad", "gameId": "g", "eventType": "t", "condition": "'a' * 2 > 1", "cooldown": "5 minutes", "cooldownKey": "server",
                "priority": "urgent", "channels": ["push", "sms"], "templates": { "en": { "title": "Hi {data.name", "body": "{hp}" } } },
              { "id": "neg", "gameId": "g", "eventType": "t", "cooldown": "-PT1M", "channels": [], "templates": {} }
            ] }
            """;

        var problems = RulesFile.Parse(json).Problems.Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                "rules[1].id: id is required",
                "rules[1].eventType: eventType is required",
                "rules[2].condition at column 5: operator '*' cannot be applied to string and int",
                "rules[2].cooldown: '5 minutes' is not an ISO 8601 duration such as PT5M",
                "rules[2].cooldownKey: 'server' must be userid or characterid",
                "rules[2].priority: 'urgent' must be one of high, normal, low",
                "rules[2].channels[1]: 'sms' must be push or inbox",
                "rules[2].templates.en.title at column 4: the placeholder is not closed with '}'",
                "rules[2].templates.en.body at column 2: unknown identifier 'hp'; use data.hp or one of data, type, source, gameid, userid, characterid, server",
                "rules[3].cooldown: '-PT1M' must be a positive duration",
                "rules[3].channels: at least one channel (push, inbox) is required",
                "rules[3].templates: at least one template is required",
            ],
            problems);
    }

    [Fact]
    public void A_wrongly_typed_field_is_reported_with_its_path()
    {
        var problem = Assert.Single(RulesFile.Parse("""{ "rules": [ { "id": "x", "channels": "push" } ] }""").Problems);
        Assert.Equal("rules[0].channels", problem.Field);
    }

    [Fact]
    public void A_rule_of_an_event_type_the_contract_does_not_know_still_applies()
    {
        var rules = RulesFile.Load(Path.Combine(RepositoryFiles.Examples, "rules.json")).Rules;
        Assert.True(CompiledRule.TryCompile(rules.Single(r => r.Id == "boss"), "v1", "boss", out var boss, out _));

        var spawned = TestEvents.Make("game.world.boss_spawned", """{"bossLevel":55,"zone":"rift"}""", gameId: "ares");

        Assert.Equal(GameSignals.Notifications.Conditions.ConditionOutcome.Match, boss!.Evaluate(spawned));
    }

    [Fact]
    public async Task The_rule_store_honours_if_match()
    {
        var store = new InMemoryRuleStore();
        var rule = new NotificationRule { Id = "r", GameId = "g", EventType = "t", Channels = ["inbox"], Templates = [new("en", "T", "B")] };
        var (_, first) = await store.UpsertAsync(rule, null, CancellationToken.None);
        var (_, second) = await store.UpsertAsync(rule with { Priority = "high" }, first!.ETag, CancellationToken.None);

        var (stale, _) = await store.UpsertAsync(rule with { Priority = "low" }, first.ETag, CancellationToken.None);
        Assert.Equal(RuleWriteStatus.PreconditionFailed, stale);
        Assert.Equal(RuleWriteStatus.PreconditionFailed, await store.DeleteAsync("g", "r", first.ETag, CancellationToken.None));
        Assert.Equal("high", (await store.GetAsync("g", "r", CancellationToken.None))!.Rule.Priority);
        Assert.Equal(RuleWriteStatus.Done, await store.DeleteAsync("g", "r", second!.ETag, CancellationToken.None));
        Assert.Empty(await store.ListAsync("g", CancellationToken.None));
        Assert.Equal(RuleWriteStatus.NotFound, (await store.UpsertAsync(rule, "*", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task The_rule_cache_sees_a_change_after_its_refresh_interval_and_compiles_each_version_once()
    {
        var (store, clock, cache, rule) = await CacheOverOneRuleAsync();
        await store.UpsertAsync(rule with { Id = "other" }, null, CancellationToken.None);

        var first = Assert.Single(await cache.GetRulesAsync("g", "t", CancellationToken.None), r => r.Id == "r");
        await store.UpsertAsync(rule with { Condition = "data.a > 2" }, null, CancellationToken.None);
        await store.UpsertAsync(rule with { Id = "x", EventType = "new.type" }, null, CancellationToken.None);

        Assert.Same(first, (await cache.GetRulesAsync("g", "t", CancellationToken.None)).Single(r => r.Id == "r"));
        var unchanged = (await cache.GetRulesAsync("g", "t", CancellationToken.None)).Single(r => r.Id == "other");
        clock.Advance(TimeSpan.FromSeconds(2));

        var rules = await cache.GetRulesAsync("g", "t", CancellationToken.None);
        Assert.Equal("data.a > 2", rules.Single(r => r.Id == "r").Condition!.Text);
        Assert.Same(unchanged, rules.Single(r => r.Id == "other"));
        Assert.Equal("x", Assert.Single(await cache.GetRulesAsync("g", "new.type", CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_batch_keeps_the_rules_it_first_found_and_the_next_batch_sees_a_change_after_the_refresh_interval()
    {
        var (store, clock, cache, rule) = await CacheOverOneRuleAsync();

        var batch = cache.ForBatch();
        Assert.Equal("data.a > 1", Assert.Single(await batch.GetRulesAsync("g", "t", CancellationToken.None)).Condition!.Text);
        await store.UpsertAsync(rule with { Condition = "data.a > 2" }, null, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("data.a > 1", Assert.Single(await batch.GetRulesAsync("g", "t", CancellationToken.None)).Condition!.Text);
        Assert.Empty(await batch.GetRulesAsync("g", "other.type", CancellationToken.None));
        Assert.Equal("data.a > 2", Assert.Single(await cache.ForBatch().GetRulesAsync("g", "t", CancellationToken.None)).Condition!.Text);
    }

    /// <summary>A rule cache refreshing every 2 s over a store holding rule <c>r</c> of game <c>g</c> on event type <c>t</c>.</summary>
    private static async Task<(InMemoryRuleStore Store, FakeTimeProvider Clock, RuleCache Cache, NotificationRule Rule)> CacheOverOneRuleAsync()
    {
        var store = new InMemoryRuleStore();
        var clock = new FakeTimeProvider();
        var cache = new RuleCache(store, Options.Create(new NotificationOptions { RuleRefreshInterval = TimeSpan.FromSeconds(2) }), clock, new NotificationMetrics(), NullLogger<RuleCache>.Instance);
        var rule = new NotificationRule { Id = "r", GameId = "g", EventType = "t", Condition = "data.a > 1", Channels = ["inbox"], Templates = [new("en", "T", "B")] };
        await store.UpsertAsync(rule, null, CancellationToken.None);
        return (store, clock, cache, rule);
    }

    [Fact]
    public void Rule_states_and_candidates_are_checked_when_rules_json_loads()
    {
        const string json = """
            { "rules": [
              { "id": "a", "gameId": "g", "eventType": "t", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "b", "gameId": "g", "eventType": "t", "state": "paused", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "c", "gameId": "g", "eventType": "t", "state": "active", "shadowOf": "a", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "d", "gameId": "g", "eventType": "t", "state": "shadow", "shadowOf": "nope", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "e", "gameId": "g", "eventType": "t", "state": "shadow", "shadowOf": "f", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "f", "gameId": "g", "eventType": "t2", "state": "off", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "h", "gameId": "g", "eventType": "t", "state": "shadow", "shadowOf": "i", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "i", "gameId": "g", "eventType": "t", "state": "off", "shadowOf": "a", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } },
              { "id": "a", "gameId": "other", "eventType": "t", "state": "shadow", "shadowOf": "a", "channels": ["inbox"], "templates": { "en": { "title": "T", "body": "B" } } }
            ] }
            """;

        var problems = RulesFile.Parse(json).Problems.Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                "rules[1].state: 'paused' must be one of active, shadow, off",
                "rules[2].shadowOf: only a shadow or off rule names the active rule it is a candidate for (promote a candidate to make it active)",
                "rules[8].shadowOf: 'a' must name another rule of the game",
                "rules[3].shadowOf: game 'g' has no rule 'nope'",
                "rules[4].shadowOf: 'f' is on t2, this rule on t: a candidate is compared over the same events",
                "rules[6].shadowOf: 'i' is itself a candidate for 'a': name the active rule",
            ],
            problems);
    }

    [Fact]
    public async Task The_rule_cache_leaves_off_rules_out_and_puts_active_rules_before_shadow_ones()
    {
        var store = new InMemoryRuleStore();
        var cache = new RuleCache(store, Options.Create(new NotificationOptions()), new FakeTimeProvider(), new NotificationMetrics(), NullLogger<RuleCache>.Instance);
        var rule = new NotificationRule { Id = "r", GameId = "g", EventType = "t", Channels = ["inbox"], Templates = [new("en", "T", "B")] };
        await store.UpsertAsync(rule with { Id = "a-shadow", State = "shadow" }, null, CancellationToken.None);
        await store.UpsertAsync(rule with { Id = "b-off", State = "off" }, null, CancellationToken.None);
        await store.UpsertAsync(rule with { Id = "c-active", State = "active" }, null, CancellationToken.None);
        await store.UpsertAsync(rule with { Id = "d-default" }, null, CancellationToken.None);

        var rules = await cache.GetRulesAsync("g", "t", CancellationToken.None);

        Assert.Equal([("c-active", RuleState.Active), ("d-default", RuleState.Active), ("a-shadow", RuleState.Shadow)], rules.Select(r => (r.Id, r.State)));
    }
}
