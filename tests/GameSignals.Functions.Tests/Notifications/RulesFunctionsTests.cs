using GameSignals.Admin.Http;
using GameSignals.Functions.Notifications;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

public sealed class RulesFunctionsTests : IDisposable
{
    private const string ValidRule = """
        { "eventType": "game.session.ended", "condition": "data.durationSeconds > 60", "priority": "high", "channels": ["push", "inbox"],
          "templates": { "en": { "title": "Well played", "body": "{userid} played {data.durationSeconds} s" } } }
        """;

    private readonly NotificationsApp _app = new();
    private readonly RulesFunctions _functions;

    public RulesFunctionsTests() => _functions = _app.Create<RulesFunctions>();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_valid_rule_is_stored_under_its_route_and_answered_with_its_etag()
    {
        var request = Request(ValidRule);

        var rule = Json(await _functions.PutAsync(request, "odin", "long-session"));

        var stored = await _app.Rules.GetAsync("odin", "long-session", CancellationToken.None);
        Assert.Equal(("long-session", "odin"), (rule.GetProperty("id").GetString(), rule.GetProperty("gameId").GetString()));
        Assert.Equal(ETags.ToHeader(stored!.ETag), request.HttpContext.Response.Headers.ETag.ToString());
        Assert.Equal("Well played", rule.GetProperty("templates").GetProperty("en").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_rule_whose_condition_does_not_parse_is_refused_naming_field_position_and_cause_and_not_stored()
    {
        var body = ValidRule.Replace("data.durationSeconds > 60", "data.durationSeconds >> 60", StringComparison.Ordinal);

        var errors = Errors(await _functions.PutAsync(Request(body), "odin", "bad"));

        var message = Assert.Single(errors["condition"]);
        Assert.Matches("^at position [0-9]+: .+", message);
        Assert.Null(await _app.Rules.GetAsync("odin", "bad", CancellationToken.None));
    }

    [Theory]
    [InlineData("\"channels\": [\"push\", \"inbox\"]", "\"channels\": [\"sms\"]", "channels[0]")]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"urgent\"", "priority")]
    [InlineData("\"eventType\"", "\"id\": \"other\", \"eventType\"", "id")]
    [InlineData("\"eventType\"", "\"gameId\": \"ares\", \"eventType\"", "gameId")]
    public async Task A_rule_with_a_wrong_field_is_refused_naming_it(string replace, string with, string field)
    {
        var errors = Errors(await _functions.PutAsync(Request(ValidRule.Replace(replace, with, StringComparison.Ordinal)), "odin", "r1"));

        Assert.Contains(field, errors.Keys);
        Assert.Empty(await _app.Rules.ListAsync("odin", CancellationToken.None));
    }

    [Theory]
    [InlineData("P10675199DT2H48M5.4775808S")]
    [InlineData("P99999999999D")]
    public async Task A_cooldown_beyond_what_a_duration_holds_is_refused_naming_it(string cooldown)
    {
        var body = ValidRule.Replace("\"priority\"", $"\"cooldown\": \"{cooldown}\", \"priority\"", StringComparison.Ordinal);

        Assert.Contains("cooldown", Errors(await _functions.PutAsync(Request(body), "odin", "r1")).Keys);
        Assert.Empty(await _app.Rules.ListAsync("odin", CancellationToken.None));
    }

    [Fact]
    public async Task A_dry_run_with_a_cooldown_reaching_past_the_end_of_time_applies_it()
    {
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(cooldown: "P3650000D"), null, CancellationToken.None);
        var body = $$"""{ "events": [{{NotificationsApp.SessionEnded("e1", "u1", 90, "8999-12-31T23:00:00Z")}}, {{NotificationsApp.SessionEnded("e2", "u1", 90, "8999-12-31T23:59:59Z")}}] }""";

        var results = Json(await _functions.TestAsync(Request(body), "odin", "long-session")).GetProperty("results");

        Assert.Equal(["match", "suppressed"], results.EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public async Task A_dry_run_event_at_the_end_of_time_is_a_400_naming_it(string time)
    {
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(), null, CancellationToken.None);
        var body = $$"""{ "events": [{{NotificationsApp.SessionEnded("e1", "u1", 90, time)}}] }""";

        Assert.Contains("events[0]", Errors(await _functions.TestAsync(Request(body), "odin", "long-session")).Keys);
    }

    [Fact]
    public async Task A_dry_run_event_with_a_string_that_is_not_unicode_is_a_400_naming_it()
    {
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(), null, CancellationToken.None);
        var body = $$"""{ "events": [{{NotificationsApp.SessionEnded("e1", "u1", 90).Replace("\"u1\"", "\"\\ud800\"", StringComparison.Ordinal)}}] }""";

        Assert.Contains("events[0]", Errors(await _functions.TestAsync(Request(body), "odin", "long-session")).Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"eventType\": ")]
    [InlineData("{ \"channels\": \"push\" }")]
    public async Task A_body_that_is_missing_malformed_or_of_the_wrong_type_is_a_400(string body)
    {
        Problem(await _functions.PutAsync(Request(body), "odin", "r1"), StatusCodes.Status400BadRequest);

        Assert.Empty(await _app.Rules.ListAsync("odin", CancellationToken.None));
    }

    [Theory]
    [InlineData("odin", "has space")]
    [InlineData("od/in", "r1")]
    [InlineData("", "r1")]
    public async Task Bad_route_values_are_a_400_on_every_rule_route(string gameId, string ruleId)
    {
        Problem(await _functions.PutAsync(Request(ValidRule), gameId, ruleId), StatusCodes.Status400BadRequest);
        Problem(await _functions.GetAsync(Request(), gameId, ruleId), StatusCodes.Status400BadRequest);
        Problem(await _functions.DeleteAsync(Request(), gameId, ruleId), StatusCodes.Status400BadRequest);
        Problem(await _functions.TestAsync(Request("""{"events":[]}"""), gameId, ruleId), StatusCodes.Status400BadRequest);
        Assert.Empty(await _app.Rules.ListAsync("odin", CancellationToken.None));
    }

    [Fact]
    public async Task Replacing_or_deleting_a_rule_without_If_Match_is_a_428_and_changes_nothing()
    {
        Json(await _functions.PutAsync(Request(ValidRule), "odin", "r1"));

        Problem(await _functions.PutAsync(Request(ValidRule.Replace("high", "low", StringComparison.Ordinal)), "odin", "r1"), StatusCodes.Status428PreconditionRequired);
        Problem(await _functions.DeleteAsync(Request(), "odin", "r1"), StatusCodes.Status428PreconditionRequired);

        Assert.Equal("high", (await _app.Rules.GetAsync("odin", "r1", CancellationToken.None))!.Rule.Priority);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_412_and_the_current_etag_succeeds()
    {
        var first = Request(ValidRule);
        await _functions.PutAsync(first, "odin", "r1");
        var etag = first.HttpContext.Response.Headers.ETag.ToString();
        await _functions.PutAsync(Request(ValidRule.Replace("high", "low", StringComparison.Ordinal), ifMatch: "*"), "odin", "r1");

        Problem(await _functions.PutAsync(Request(ValidRule, ifMatch: etag), "odin", "r1"), StatusCodes.Status412PreconditionFailed);
        Problem(await _functions.DeleteAsync(Request(ifMatch: etag), "odin", "r1"), StatusCodes.Status412PreconditionFailed);
        Problem(await _functions.PutAsync(Request(ValidRule, ifMatch: "*"), "odin", "never-written"), StatusCodes.Status412PreconditionFailed);

        Assert.Equal("low", (await _app.Rules.GetAsync("odin", "r1", CancellationToken.None))!.Rule.Priority);
        var current = ETags.ToHeader((await _app.Rules.GetAsync("odin", "r1", CancellationToken.None))!.ETag);
        Json(await _functions.PutAsync(Request(ValidRule, ifMatch: current), "odin", "r1"));
        Assert.Equal("high", (await _app.Rules.GetAsync("odin", "r1", CancellationToken.None))!.Rule.Priority);
    }

    [Fact]
    public async Task Rules_are_listed_per_game_read_with_their_etag_and_deleted()
    {
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule("odin", "a"), null, CancellationToken.None);
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule("odin", "b"), null, CancellationToken.None);
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule("ares", "c"), null, CancellationToken.None);

        var listed = Json(await _functions.ListAsync(Request(), "odin")).GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString());
        var get = Request();
        var rule = Json(await _functions.GetAsync(get, "odin", "a"));
        var etag = get.HttpContext.Response.Headers.ETag.ToString();

        Assert.Equal(["a", "b"], listed.Order(StringComparer.Ordinal));
        Assert.Equal("game.session.ended", rule.GetProperty("eventType").GetString());
        Assert.Equal(ETags.ToHeader((await _app.Rules.GetAsync("odin", "a", CancellationToken.None))!.ETag), etag);
        Assert.IsType<NoContentResult>(await _functions.DeleteAsync(Request(ifMatch: etag), "odin", "a"));
        Problem(await _functions.GetAsync(Request(), "odin", "a"), StatusCodes.Status404NotFound);
        Problem(await _functions.DeleteAsync(Request(), "odin", "a"), StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task A_dry_run_renders_what_would_be_sent_in_the_players_language_with_the_cooldown_and_writes_nothing()
    {
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(cooldown: "PT1H"), null, CancellationToken.None);
        var body = $$"""
            { "events": [
              {{NotificationsApp.SessionStarted("s1", "u1", "ko-KR")}},
              {{NotificationsApp.SessionEnded("e1", "u1", 300, "2026-11-01T12:00:00Z")}},
              {{NotificationsApp.SessionEnded("e2", "u1", 10, "2026-11-01T12:01:00Z")}},
              {{NotificationsApp.SessionEnded("e3", "u1", 400, "2026-11-01T12:02:00Z")}},
              {{NotificationsApp.SessionEnded("e4", "u2", 90, "2026-11-01T12:03:00Z")}} ] }
            """;

        var results = Json(await _functions.TestAsync(Request(body), "odin", "long-session")).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(["other_type", "match", "no_match", "suppressed", "match"], results.Select(r => r.GetProperty("outcome").GetString()));
        var korean = results[1].GetProperty("notification");
        Assert.Equal(("ko", "300초", Notification.IdFor("long-session", "/games/odin/kr-01", "e1")),
            (korean.GetProperty("locale").GetString(), korean.GetProperty("body").GetString(), korean.GetProperty("id").GetString()));
        Assert.Equal("u2 played 90 s", results[4].GetProperty("notification").GetProperty("body").GetString());
        Assert.Empty(_app.Notifications.All);
        Assert.Empty(_app.Push.Requests);
        Assert.Null(await _app.Locales.GetAsync("odin", "u1", CancellationToken.None));
    }

    [Fact]
    public async Task A_dry_run_of_a_missing_rule_is_a_404_and_bad_events_are_a_400_naming_them()
    {
        Problem(await _functions.TestAsync(Request($$"""{"events":[{{NotificationsApp.SessionEnded("e1", "u1", 300)}}]}"""), "odin", "nope"), StatusCodes.Status404NotFound);
        await _app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(), null, CancellationToken.None);

        var errors = Errors(await _functions.TestAsync(Request($$"""{"events":[{{NotificationsApp.SessionEnded("e1", "u1", 300)}}, {"id":"x"}, {{NotificationsApp.SessionEnded("e3", "u1", 300, game: "ares")}}]}"""), "odin", "long-session"));
        Assert.Equal(["events[1]", "events[2].gameid"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("events", Errors(await _functions.TestAsync(Request("""{"events":[]}"""), "odin", "long-session")).Keys);
        Assert.Contains("events", Errors(await _functions.TestAsync(Request("""{}"""), "odin", "long-session")).Keys);
        Problem(await _functions.TestAsync(Request("""{"events": 3}"""), "odin", "long-session"), StatusCodes.Status400BadRequest);
    }
}
