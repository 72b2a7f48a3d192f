using GameSignals.Admin;
using GameSignals.Admin.Access;
using GameSignals.Admin.Http;
using System.Text;
using System.Text.Json;
using GameSignals.Functions.Intake;
using GameSignals.Functions.Notifications;
using Microsoft.AspNetCore.Http;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>
/// A shadow candidate through the admin API and the live stream: written beside the active rule, fed by the
/// Event Hubs function, its would-be notifications, hourly counts and comparison read back, then promoted,
/// every change in the rules' history.
/// </summary>
public sealed class ShadowRulesFunctionsTests : IDisposable
{
    private const string Active = """
        { "eventType": "game.session.ended", "condition": "data.durationSeconds > 60", "priority": "high", "channels": ["push", "inbox"],
          "templates": { "en": { "title": "Well played", "body": "{userid} played {data.durationSeconds} s" } } }
        """;

    /// <summary>Long sessions over two minutes, and very short ones, instead of over one minute.</summary>
    private const string Candidate = """
        { "eventType": "game.session.ended", "condition": "data.durationSeconds > 120 || data.durationSeconds < 10", "state": "shadow",
          "shadowOf": "long-session", "priority": "high", "channels": ["push", "inbox"],
          "templates": { "en": { "title": "Good game", "body": "{userid}: {data.durationSeconds} s" } } }
        """;

    private readonly NotificationsApp _app = new();
    private readonly RulesFunctions _rules;
    private readonly ShadowRulesFunctions _shadow;

    public ShadowRulesFunctionsTests()
    {
        _rules = _app.Create<RulesFunctions>();
        _shadow = _app.Create<ShadowRulesFunctions>();
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_candidate_runs_on_the_live_stream_beside_the_active_rule_and_is_promoted_with_evidence()
    {
        Json(await _rules.PutAsync(Request(Active), "odin", "long-session"));
        Assert.Equal("shadow", Json(await _rules.PutAsync(Request(Candidate), "odin", "long-session-v2")).GetProperty("state").GetString());
        await SendAsync(
            NotificationsApp.SessionEnded("both-1", "u1", 300, "2026-11-01T12:00:00Z"),
            NotificationsApp.SessionEnded("active-only", "u2", 90, "2026-11-01T12:30:00Z"),
            NotificationsApp.SessionEnded("both-2", "u3", 200, "2026-11-01T13:05:00Z"),
            NotificationsApp.SessionEnded("shadow-only", "u5", 5, "2026-11-01T13:10:00Z"),
            NotificationsApp.SessionEnded("neither", "u4", 30, "2026-11-01T13:20:00Z"));

        // Players got the active rule's notifications only.
        Assert.Equal(["active-only", "both-1", "both-2"], _app.Notifications.All.Select(n => n.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(3, _app.Push.Requests.Count);

        var page1 = Json(await _shadow.ListAsync(Request(query: "?pageSize=2"), "odin", "long-session-v2"));
        var page2 = Json(await _shadow.ListAsync(Request(query: "?pageSize=2&continuation=" + Uri.EscapeDataString(page1.GetProperty("continuation").GetString()!)), "odin", "long-session-v2"));
        var later = Json(await _shadow.ListAsync(Request(query: "?from=2026-11-01T13:00:00Z&to=2026-11-01T13:10:00Z"), "odin", "long-session-v2"));
        Assert.Equal(["shadow-only", "both-2", "both-1"], EventIds(page1).Concat(EventIds(page2)));
        Assert.False(page2.TryGetProperty("continuation", out _));
        Assert.Equal(["both-2"], EventIds(later));
        Assert.Equal("u5: 5 s", page1.GetProperty("items")[0].GetProperty("body").GetString());

        var hours = Json(await _shadow.CountsAsync(Request(), "odin", "long-session-v2")).GetProperty("hours").EnumerateArray()
            .Select(h => (h.GetProperty("hour").GetDateTimeOffset().Hour, h.GetProperty("notifications").GetInt64()));
        Assert.Equal([(12, 1L), (13, 2L)], hours);

        var comparison = Json(await _shadow.CompareAsync(Request(), "odin", "long-session-v2"));
        Assert.Equal("long-session", comparison.GetProperty("shadowOf").GetString());
        string[] sides = ["both", "onlyActive", "onlyShadow"];
        Assert.Equal(["2: both-1 both-2", "1: active-only", "1: shadow-only"], sides.Select(side => Side(comparison, side)));

        var promote = Request();
        new AdminCaller("lead@studio.example", new HashSet<AdminRole> { AdminRole.LiveOps }).EstablishOn(promote.HttpContext);
        var promoted = Json(await _rules.PromoteAsync(promote, "odin", "long-session-v2"));
        Assert.Equal(("long-session", "active", "data.durationSeconds > 120 || data.durationSeconds < 10"),
            (promoted.GetProperty("id").GetString(), promoted.GetProperty("state").GetString(), promoted.GetProperty("condition").GetString()));
        Assert.False(promoted.TryGetProperty("shadowOf", out _));
        Assert.Equal(ETags.ToHeader((await _app.Rules.GetAsync("odin", "long-session", CancellationToken.None))!.ETag), promote.HttpContext.Response.Headers.ETag.ToString());
        Problem(await _rules.GetAsync(Request(), "odin", "long-session-v2"), StatusCodes.Status404NotFound);

        var history = Json(await _rules.HistoryAsync(Request(), "odin", "long-session")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([("promoted", "lead@studio.example"), ("created", "key")], history.Select(c => (c.GetProperty("kind").GetString(), c.GetProperty("by").GetString())));
        Assert.Equal("data.durationSeconds > 60", history[0].GetProperty("before").GetProperty("condition").GetString());
        Assert.Equal("shadow", Json(await _rules.HistoryAsync(Request(), "odin", "long-session-v2")).GetProperty("items")[0].GetProperty("before").GetProperty("state").GetString());

        // The candidate's records stay readable after it is gone.
        Assert.Equal(3, Json(await _shadow.ListAsync(Request(), "odin", "long-session-v2")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("\"state\": \"paused\",", "state")]
    [InlineData("\"state\": \"shadow\", \"shadowOf\": \"nope\",", "shadowOf")]
    [InlineData("\"state\": \"active\", \"shadowOf\": \"long-session\",", "shadowOf")]
    [InlineData("\"state\": 3,", "")]
    public async Task A_bad_state_or_candidate_is_a_400_naming_it_and_changes_nothing(string fields, string field)
    {
        Json(await _rules.PutAsync(Request(Active), "odin", "long-session"));
        var before = await _app.SnapshotAsync("odin");

        var result = await _rules.PutAsync(Request(Active.Replace("\"eventType\"", fields + " \"eventType\"", StringComparison.Ordinal)), "odin", "other");

        if (field.Length == 0)
        {
            Assert.Contains("$.state", Problem(result, StatusCodes.Status400BadRequest).Detail, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(field, Errors(result).Keys);
        }

        Assert.Equal(before, await _app.SnapshotAsync("odin"));
    }

    [Fact]
    public async Task An_off_rule_sends_nothing_and_records_nothing_and_its_state_change_is_in_its_history()
    {
        Json(await _rules.PutAsync(Request(Active), "odin", "long-session"));
        Json(await _rules.PutAsync(Request(Active.Replace("\"eventType\"", "\"state\": \"off\", \"eventType\"", StringComparison.Ordinal), ifMatch: "*"), "odin", "long-session"));

        await SendAsync(NotificationsApp.SessionEnded("e1", "u1", 300));

        Assert.Empty(_app.Notifications.All);
        Assert.Empty(_app.Shadows.All);
        var kinds = Json(await _rules.HistoryAsync(Request(), "odin", "long-session")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("kind").GetString());
        Assert.Equal(["state_changed", "created"], kinds);
    }

    [Fact]
    public async Task Promoting_what_is_not_a_shadow_rule_is_a_409_and_a_missing_rule_a_404()
    {
        Json(await _rules.PutAsync(Request(Active), "odin", "long-session"));

        Problem(await _rules.PromoteAsync(Request(), "odin", "long-session"), StatusCodes.Status409Conflict);
        Problem(await _rules.PromoteAsync(Request(), "odin", "nope"), StatusCodes.Status404NotFound);
        Problem(await _rules.PromoteAsync(Request(), "od/in", "long-session"), StatusCodes.Status400BadRequest);
        Assert.Null((await _app.Rules.GetAsync("odin", "long-session", CancellationToken.None))!.Rule.State);
        Assert.Single((await _app.History.ListAsync("odin", "long-session", 10, null, CancellationToken.None)).Items);
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-11-01T13:00:00Z&to=2026-11-01T12:00:00Z", "to")]
    [InlineData("?to=2026-11-01", "to")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?continuation=nonsense", "continuation")]
    [InlineData("?continuation=", "continuation")]
    [InlineData("?continuation=a&continuation=b", "continuation")]
    public async Task Bad_query_parameters_of_the_shadow_routes_are_a_400_naming_them(string query, string field)
    {
        Assert.Contains(field, Errors(await _shadow.ListAsync(Request(query: query), "odin", "long-session")).Keys);
        if (field is "from" or "to")
        {
            Assert.Contains(field, Errors(await _shadow.CountsAsync(Request(query: query), "odin", "long-session")).Keys);
            Assert.Contains(field, Errors(await _shadow.CompareAsync(Request(query: query), "odin", "long-session")).Keys);
        }
    }

    [Theory]
    [InlineData("?pageSize=x", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?continuation=nonsense", "continuation")]
    [InlineData("?continuation=", "continuation")]
    public async Task Bad_query_parameters_of_the_history_are_a_400_naming_them(string query, string field)
    {
        Json(await _rules.PutAsync(Request(Active), "odin", "long-session"));

        Assert.Contains(field, Errors(await _rules.HistoryAsync(Request(query: query), "odin", "long-session")).Keys);
    }

    [Fact]
    public async Task The_history_is_paged_newest_first_and_kept_after_a_delete()
    {
        foreach (var priority in new[] { "high", "normal", "low" })
        {
            Json(await _rules.PutAsync(Request(Active.Replace("\"high\"", $"\"{priority}\"", StringComparison.Ordinal), ifMatch: priority == "high" ? null : "*"), "odin", "long-session"));
            await Task.Delay(2); // distinct wall-clock times
        }

        Assert.IsType<Microsoft.AspNetCore.Mvc.NoContentResult>(await _rules.DeleteAsync(Request(ifMatch: "*"), "odin", "long-session"));

        var page1 = Json(await _rules.HistoryAsync(Request(query: "?pageSize=3"), "odin", "long-session"));
        var token = Uri.EscapeDataString(page1.GetProperty("continuation").GetString()!);
        var page2 = Json(await _rules.HistoryAsync(Request(query: "?pageSize=3&continuation=" + token), "odin", "long-session"));
        var changes = page1.GetProperty("items").EnumerateArray().Concat(page2.GetProperty("items").EnumerateArray())
            .Select(c => (c.GetProperty("kind").GetString(), (c.TryGetProperty("after", out var after) ? after : c.GetProperty("before")).GetProperty("priority").GetString()));
        Assert.Equal([("deleted", "low"), ("updated", "low"), ("updated", "normal"), ("created", "high")], changes);
    }

    private async Task SendAsync(params string[] events)
    {
        byte[][] messages = [.. events.Select(Encoding.UTF8.GetBytes)];
        var positions = events.Select((_, i) => ((long)i + 1, (long)(i + 1) * 100)).ToArray();
        await _app.Create<EventHubFunctions>().GameEventsAsync(messages, EventHubFunctionsTests.Context("game-events", "0", positions));
    }

    private static IEnumerable<string?> EventIds(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("eventId").GetString());

    /// <summary>One side of a comparison as "count: sample ids".</summary>
    private static string Side(JsonElement comparison, string side) =>
        $"{comparison.GetProperty(side).GetProperty("count").GetInt64()}: {string.Join(' ', comparison.GetProperty(side).GetProperty("sampleEventIds").EnumerateArray().Select(e => e.GetString()))}";
}
