using GameSignals.Admin.Http;
using FsCheck.Xunit;
using GameSignals.Functions.Notifications;
using GameSignals.Functions.Tests.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>
/// The shadow, history and promotion functions under hostile route, query and If-Match values: an answer or a
/// problem+json refusal, never an exception, and a refusal leaves the stores exactly as they were.
/// </summary>
public sealed class ShadowRulesFunctionsFuzzTests
{
    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Shadow_reads_answer_or_refuse_and_write_nothing(RouteValue game, RouteValue rule, QueryValue from, QueryValue to, QueryValue pageSize, QueryValue continuation)
    {
        using var app = await SeededAppAsync();
        var functions = app.Create<ShadowRulesFunctions>();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session-v2"));
        var range = from.Query("from") + to.Query("to");
        var listQuery = range + pageSize.Query("pageSize") + continuation.Query("continuation");
        var valid = game.Hostile is null && rule.Hostile is null && from.IsValid && to.IsValid;
        var before = await app.SnapshotAsync("odin", gameId);

        var list = HostileInput.StatusOf(await functions.ListAsync(Request(query: AsQuery(listQuery)), gameId, ruleId), [StatusCodes.Status200OK]);
        var counts = HostileInput.StatusOf(await functions.CountsAsync(Request(query: AsQuery(range)), gameId, ruleId), [StatusCodes.Status200OK]);
        var comparison = HostileInput.StatusOf(await functions.CompareAsync(Request(query: AsQuery(range)), gameId, ruleId), [StatusCodes.Status200OK]);

        Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        if (valid)
        {
            Assert.Equal((StatusCodes.Status200OK, StatusCodes.Status200OK), (counts, comparison));
        }

        if (valid && pageSize.IsValid && continuation.IsValid)
        {
            Assert.Equal(StatusCodes.Status200OK, list);
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task The_history_answers_a_page_or_a_refusal_and_writes_nothing(RouteValue game, RouteValue rule, QueryValue pageSize, QueryValue continuation)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session"));
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(
            await app.Create<RulesFunctions>().HistoryAsync(Request(query: AsQuery(pageSize.Query("pageSize") + continuation.Query("continuation"))), gameId, ruleId),
            [StatusCodes.Status200OK]);

        Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        if (game.Hostile is null && rule.Hostile is null && pageSize.IsValid && continuation.IsValid)
        {
            Assert.Equal(StatusCodes.Status200OK, status);
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Promotion_answers_the_active_rule_or_a_refusal_that_changed_nothing(RouteValue game, RouteValue rule, IfMatchValue ifMatch)
    {
        using var app = await SeededAppAsync();
        var (gameId, ruleId) = (game.Or("odin"), rule.Or("long-session-v2"));
        var current = (await app.Rules.GetAsync(gameId, ruleId, CancellationToken.None))?.ETag is { } etag ? ETags.ToHeader(etag) : null;
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(
            await app.Create<RulesFunctions>().PromoteAsync(Request(ifMatch: ifMatch.Header(current)), gameId, ruleId), [StatusCodes.Status200OK]);

        Assert.False(!ifMatch.CanMatch(current) && status < StatusCodes.Status400BadRequest, "An If-Match that cannot match was ignored.");
        if (game.Hostile is null && rule.Hostile is null && ifMatch.IsValid)
        {
            Assert.Equal(StatusCodes.Status200OK, status);
        }
        else if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        }
    }

    private static string? AsQuery(string query) => query.Length == 0 ? null : "?" + query[1..];

    /// <summary>Game odin with the long-session rule and its shadow candidate, written through the API, and a few shadow records.</summary>
    private static async Task<NotificationsApp> SeededAppAsync()
    {
        var app = new NotificationsApp();
        var editor = app.Services.GetRequiredService<RuleEditor>();
        var active = NotificationsApp.LongSessionRule(cooldown: "PT1H");
        await editor.SaveAsync(active, null, "seed", CancellationToken.None);
        await editor.SaveAsync(active with { Id = "long-session-v2", Condition = "data.durationSeconds > 120", State = "shadow", ShadowOf = "long-session" }, null, "seed", CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            var time = new DateTimeOffset(2026, 11, 1, 12, i, 0, TimeSpan.Zero);
            var notification = new Notification
            {
                Id = $"s{i}", RuleId = "long-session-v2", GameId = "odin", UserId = $"u{i}", EventId = $"e{i}", Time = time, Priority = "high",
                Channels = ["push", "inbox"], Locale = "en", Title = "T", Body = "B", Ttl = 86400,
            };
            await app.Shadows.CreateAsync(
                new ShadowRecord
                {
                    Id = $"s{i}", GameId = "odin", RuleId = "long-session-v2", ShadowOf = "long-session", EventId = $"e{i}", UserId = $"u{i}", Time = time,
                    Matched = true, ActiveMatched = i > 0, Notification = notification, Ttl = 86400,
                },
                CancellationToken.None);
        }

        return app;
    }
}
