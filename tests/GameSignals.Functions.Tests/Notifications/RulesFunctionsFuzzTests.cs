using GameSignals.Admin.Http;
using System.Text;
using FsCheck.Xunit;
using GameSignals.Functions.Notifications;
using GameSignals.Functions.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>
/// The rule admin functions under hostile input: every answer is a rule or a problem+json refusal, never an
/// exception, and a refused request leaves the stores exactly as they were.
/// </summary>
public sealed class RulesFunctionsFuzzTests
{
    private static readonly byte[] ValidRule = Encoding.UTF8.GetBytes("""
        { "eventType": "game.session.ended", "condition": "data.durationSeconds > 60 && data.durationSeconds < 100000", "cooldown": "PT5M",
          "cooldownKey": "characterid", "priority": "high", "channels": ["push", "inbox"],
          "templates": { "en": { "title": "Well played", "body": "{userid} played {data.durationSeconds} s" }, "ko": { "title": "수고", "body": "{data.durationSeconds}초" } } }
        """);

    private static readonly byte[] ValidTest = Encoding.UTF8.GetBytes($$"""
        { "events": [{{NotificationsApp.SessionStarted("s1", "u1", "ko-KR")}}, {{NotificationsApp.SessionEnded("e1", "u1", 90)}},
                     {{NotificationsApp.SessionEnded("e2", "u1", 95, "2026-11-01T12:01:00Z")}}] }
        """);

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Put_answers_the_rule_or_a_refusal_and_a_refusal_writes_nothing(RouteValue game, RouteValue rule, HostileBody body, IfMatchValue ifMatch)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session"));
        var current = await ETagAsync(app, gameId, ruleId);
        var request = Request(body.For(ValidRule), body.DeclaresLength, ifMatch: ifMatch.Header(current));

        await AssertRefusalWritesNothingAsync(app, gameId, () => app.Create<RulesFunctions>().PutAsync(request, gameId, ruleId),
            game.Hostile is null && rule.Hostile is null && body.IsValid && ifMatch.AllowsWrite(current), StatusCodes.Status200OK, ifMatch.MustRefuseWrite(current));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Delete_answers_204_or_a_refusal_and_a_refusal_writes_nothing(RouteValue game, RouteValue rule, IfMatchValue ifMatch)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session"));
        var current = await ETagAsync(app, gameId, ruleId);
        var request = Request(ifMatch: ifMatch.Header(current));

        await AssertRefusalWritesNothingAsync(app, gameId, () => app.Create<RulesFunctions>().DeleteAsync(request, gameId, ruleId),
            game.Hostile is null && rule.Hostile is null && ifMatch.AllowsWrite(current), StatusCodes.Status204NoContent, ifMatch.MustRefuseWrite(current));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Reads_answer_the_rules_or_a_refusal(RouteValue game, RouteValue rule)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session"));
        var functions = app.Create<RulesFunctions>();
        var valid = game.Hostile is null && rule.Hostile is null;

        await AssertRefusalWritesNothingAsync(app, gameId, () => functions.GetAsync(Request(), gameId, ruleId), valid, StatusCodes.Status200OK);
        await AssertRefusalWritesNothingAsync(app, gameId, () => functions.ListAsync(Request(), gameId), game.Hostile is null, StatusCodes.Status200OK);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task A_dry_run_answers_the_outcomes_or_a_refusal_and_writes_nothing(RouteValue game, RouteValue rule, HostileBody body)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session"));
        var request = Request(body.For(ValidTest), body.DeclaresLength);
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(await app.Create<RulesFunctions>().TestAsync(request, gameId, ruleId), [StatusCodes.Status200OK]);

        Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        if (game.Hostile is null && rule.Hostile is null && body.IsValid)
        {
            Assert.Equal(StatusCodes.Status200OK, status);
        }
    }

    /// <summary>Game odin with the long-session rule (a cooldown by character), and a player whose language is Korean.</summary>
    private static async Task<NotificationsApp> SeededAppAsync()
    {
        var app = new NotificationsApp();
        await app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(cooldown: "PT1H"), null, CancellationToken.None);
        return app;
    }

    private static async Task<string?> ETagAsync(NotificationsApp app, string gameId, string ruleId) =>
        (await app.Rules.GetAsync(gameId, ruleId, CancellationToken.None))?.ETag is { } etag ? ETags.ToHeader(etag) : null;

    /// <summary>
    /// Runs the request: a success when all its parts are valid, a refusal when its If-Match cannot match, else a
    /// success or a refusal; and a refusal changed no store.
    /// </summary>
    private static async Task AssertRefusalWritesNothingAsync(NotificationsApp app, string gameId, Func<Task<IActionResult>> send, bool valid, int success, bool mustRefuse = false)
    {
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(await send(), [success]);

        Assert.False(mustRefuse && status < StatusCodes.Status400BadRequest, "An If-Match that cannot match was ignored.");
        if (valid)
        {
            Assert.Equal(success, status);
        }
        else if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        }
    }
}
