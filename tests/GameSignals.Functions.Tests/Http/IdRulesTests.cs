using GameSignals.Functions.Notifications;
using GameSignals.Functions.Tests.IpRanges;
using GameSignals.Functions.Tests.Notifications;
using GameSignals.Notifications;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Http;

/// <summary>
/// One id rule everywhere (<see cref="Ids"/>): rule, blocklist and notification ids are 1 to 128 ASCII letters,
/// digits, '.', '_' or '-'; game and user ids are what events carry, without control characters or / \ ? #.
/// A refusal is a 400 naming the field, and nothing is written.
/// </summary>
public sealed class IdRulesTests
{
    [Theory]
    [InlineData("has space")]
    [InlineData("ctrl\u0001char")]
    [InlineData("line\n")]
    [InlineData("-leading-dash")]
    [InlineData("é")]
    public async Task A_blocklist_id_outside_the_rule_is_a_400_naming_id_and_creates_nothing(string id)
    {
        await using var app = new IpRangesApp();

        var errors = Errors(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "r" }"""), id));

        Assert.Equal(["id"], errors.Keys);
        Assert.Contains("1 to 128 ASCII letters", errors["id"][0], StringComparison.Ordinal);
        Assert.Empty(await app.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Every_id_route_refuses_the_same_ids()
    {
        using var notifications = new NotificationsApp();
        await using var ipRanges = new IpRangesApp();
        const string bad = "a b";

        Assert.Contains("id", Errors(await ipRanges.Blocklist.GetAsync(Request(), bad)).Keys);
        Assert.Contains("id", Errors(await ipRanges.Blocklist.DeleteAsync(Request(), bad)).Keys);
        Assert.Contains("ruleId", Errors(await notifications.Create<RulesFunctions>().GetAsync(Request(), "odin", bad)).Keys);
        Assert.Contains("notificationId", Errors(await notifications.Create<InboxFunctions>().MarkReadAsync(Request(), "odin", "u1", bad)).Keys);
    }

    [Fact]
    public async Task A_game_id_as_events_carry_it_is_accepted_on_every_route_but_a_slash_is_not()
    {
        using var app = new NotificationsApp();
        var rules = app.Create<RulesFunctions>();

        Json(await rules.ListAsync(Request(), "Odin Online"));
        Assert.Contains("gameId", Errors(await rules.ListAsync(Request(), "odin/eu")).Keys);
    }

    [Fact]
    public async Task Events_that_are_not_a_list_in_a_rule_test_are_a_400_naming_events()
    {
        using var app = new NotificationsApp();
        var rules = app.Create<RulesFunctions>();

        var errors = Errors(await rules.TestAsync(Request("""{"events": 3}"""), "odin", "long-session"));

        Assert.Contains("events", errors.Keys);
    }

    [Fact]
    public void A_rule_whose_id_breaks_the_rule_is_refused_naming_its_field()
    {
        var rule = NotificationsApp.LongSessionRule(id: "long session");

        Assert.False(CompiledRule.TryCompile(rule, "v1", "rules[0]", out _, out var problems));

        Assert.Contains(problems, p => p.Field == "rules[0].id");
    }
}
