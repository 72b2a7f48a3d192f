using GameSignals.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Core.Tests.Notifications;

public sealed class RuleEditorTests
{
    private static readonly NotificationRule Rule = new()
    {
        Id = "r", GameId = "g", EventType = "t", Condition = "data.a > 1", Priority = "high", Channels = ["inbox"], Templates = [new("en", "T", "B")],
    };

    private readonly InMemoryRuleStore _rules = new();
    private readonly InMemoryRuleHistoryStore _history = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RuleEditor _editor;

    public RuleEditorTests() => _editor = new RuleEditor(_rules, _history, _time);

    [Fact]
    public async Task Every_change_is_kept_newest_first_with_who_when_before_and_after()
    {
        await _editor.SaveAsync(Rule, null, "alice", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var updated = await _editor.SaveAsync(Rule with { Priority = "low" }, null, "bob", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _editor.SaveAsync(Rule with { Priority = "low", State = "off" }, updated.Stored!.ETag, "carol", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _editor.DeleteAsync("g", "r", null, "dave", CancellationToken.None);

        var page1 = await _history.ListAsync("g", "r", 3, null, CancellationToken.None);
        var page2 = await _history.ListAsync("g", "r", 3, page1.ContinuationToken, CancellationToken.None);

        var changes = page1.Items.Concat(page2.Items).ToList();
        Assert.Equal(
            [(RuleChange.Deleted, "dave", 3), (RuleChange.StateChanged, "carol", 2), (RuleChange.Updated, "bob", 1), (RuleChange.Created, "alice", 0)],
            changes.Select(c => (c.Kind, c.By, (int)(c.At - TestEvents.T0).TotalMinutes)));
        Assert.Null(page2.ContinuationToken);
        Assert.Equal(("high", "low"), (changes[2].Before!.Priority, changes[2].After!.Priority));
        Assert.Equal(("off", null), (changes[0].Before!.State, changes[0].After));
        Assert.Null(changes[3].Before);
    }

    [Fact]
    public async Task A_stale_if_match_changes_nothing_and_records_nothing()
    {
        var first = await _editor.SaveAsync(Rule, null, "alice", CancellationToken.None);
        await _editor.SaveAsync(Rule with { Priority = "low" }, null, "bob", CancellationToken.None);

        var stale = await _editor.SaveAsync(Rule with { Priority = "normal" }, first.Stored!.ETag, "carol", CancellationToken.None);
        var staleDelete = await _editor.DeleteAsync("g", "r", first.Stored.ETag, "carol", CancellationToken.None);

        Assert.Equal((RuleEditStatus.PreconditionFailed, RuleEditStatus.PreconditionFailed), (stale.Status, staleDelete.Status));
        Assert.Equal("low", (await _rules.GetAsync("g", "r", CancellationToken.None))!.Rule.Priority);
        Assert.Equal(2, (await _history.ListAsync("g", "r", 10, null, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task Promoting_a_candidate_replaces_the_active_rule_under_its_id_and_removes_the_candidate()
    {
        await _editor.SaveAsync(Rule, null, "alice", CancellationToken.None);
        var candidate = Rule with { Id = "r-v2", Condition = "data.a > 5", State = "shadow", ShadowOf = "r" };
        Assert.Equal(RuleEditStatus.Done, (await _editor.SaveAsync(candidate, null, "bob", CancellationToken.None)).Status);
        _time.Advance(TimeSpan.FromMinutes(1));

        var promoted = await _editor.PromoteAsync("g", "r-v2", null, "erin", CancellationToken.None);

        Assert.Equal((RuleEditStatus.Done, "r", "active", null, "data.a > 5"),
            (promoted.Status, promoted.Stored!.Rule.Id, promoted.Stored.Rule.State, promoted.Stored.Rule.ShadowOf, promoted.Stored.Rule.Condition));
        Assert.Null(await _rules.GetAsync("g", "r-v2", CancellationToken.None));
        Assert.Equal("data.a > 5", (await _rules.GetAsync("g", "r", CancellationToken.None))!.Rule.Condition);
        var active = (await _history.ListAsync("g", "r", 10, null, CancellationToken.None)).Items[0];
        Assert.Equal((RuleChange.Promoted, "erin", "data.a > 1", "promoted from shadow rule 'r-v2'"), (active.Kind, active.By, active.Before!.Condition, active.Note));
        var removed = (await _history.ListAsync("g", "r-v2", 10, null, CancellationToken.None)).Items[0];
        Assert.Equal((RuleChange.Deleted, "promoted into rule 'r'"), (removed.Kind, removed.Note));
        Assert.Equal(RuleEditStatus.Conflict, (await _editor.PromoteAsync("g", "r", null, "erin", CancellationToken.None)).Status);
        Assert.Equal(RuleEditStatus.NotFound, (await _editor.PromoteAsync("g", "r-v2", null, "erin", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_shadow_rule_without_a_candidate_target_is_promoted_in_place()
    {
        var saved = await _editor.SaveAsync(Rule with { State = "shadow" }, null, "alice", CancellationToken.None);

        Assert.Equal(RuleEditStatus.PreconditionFailed, (await _editor.PromoteAsync("g", "r", "\"stale\"", "bob", CancellationToken.None)).Status);
        _time.Advance(TimeSpan.FromMinutes(1));
        var promoted = await _editor.PromoteAsync("g", "r", saved.Stored!.ETag, "bob", CancellationToken.None);

        Assert.Equal("active", promoted.Stored!.Rule.State);
        Assert.Equal("active", (await _rules.GetAsync("g", "r", CancellationToken.None))!.Rule.State);
        Assert.Equal(RuleChange.Promoted, (await _history.ListAsync("g", "r", 10, null, CancellationToken.None)).Items[0].Kind);
    }

    [Theory]
    [InlineData("missing", "t", "game 'g' has no rule 'missing'")]
    [InlineData("r", "other.type", "'r' is on t, this rule on other.type: a candidate is compared over the same events")]
    public async Task A_candidate_must_name_a_rule_of_the_game_on_the_same_event_type(string shadowOf, string eventType, string cause)
    {
        await _editor.SaveAsync(Rule, null, "alice", CancellationToken.None);

        var result = await _editor.SaveAsync(Rule with { Id = "c", EventType = eventType, State = "shadow", ShadowOf = shadowOf }, null, "bob", CancellationToken.None);

        Assert.Equal((RuleEditStatus.Invalid, "$.shadowOf", cause), (result.Status, result.Problem!.Field, result.Problem.Cause));
        Assert.Null(await _rules.GetAsync("g", "c", CancellationToken.None));
    }

    [Fact]
    public async Task A_version_written_without_a_history_entry_is_recorded_late_when_the_rule_next_changes()
    {
        await _rules.UpsertAsync(Rule, null, CancellationToken.None);

        await _editor.SaveAsync(Rule with { Priority = "low" }, null, "bob", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _editor.SaveAsync(Rule with { Priority = "normal" }, null, "carol", CancellationToken.None);

        var changes = (await _history.ListAsync("g", "r", 10, null, CancellationToken.None)).Items;
        Assert.Equal([("carol", "low"), ("bob", "high"), ("unknown", null)], changes.Select(c => (c.By, c.Before?.Priority)));
        Assert.Equal("high", changes[2].After!.Priority);
        Assert.StartsWith("recorded late", changes[2].Note, StringComparison.Ordinal);
    }
}
