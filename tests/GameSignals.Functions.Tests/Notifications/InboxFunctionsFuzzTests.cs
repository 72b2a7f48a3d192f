using FsCheck.Xunit;
using GameSignals.Functions.Notifications;
using GameSignals.Functions.Tests.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>The inbox functions under hostile route and query values: a page, a 204, or a refusal that changed nothing.</summary>
public sealed class InboxFunctionsFuzzTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Reading_answers_a_page_or_a_refusal(RouteValue game, RouteValue user, QueryValue pageSize, QueryValue continuation, bool realToken)
    {
        using var app = await SeededAppAsync();
        var functions = app.Create<InboxFunctions>();
        var query = pageSize.Query("pageSize") + continuation.Query("continuation");
        if (continuation.IsValid && realToken)
        {
            var first = Json(await functions.GetAsync(Request(query: "?pageSize=2"), "odin", "u1"));
            query += "&continuation=" + Uri.EscapeDataString(first.GetProperty("continuation").GetString()!);
        }

        var (gameId, userId) = (game.Or("odin"), user.Or("u1"));
        var before = await app.SnapshotAsync(gameId);

        var status = HostileInput.StatusOf(await functions.GetAsync(Request(query: query.Length == 0 ? null : "?" + query[1..]), gameId, userId), [StatusCodes.Status200OK]);

        Assert.Equal(before, await app.SnapshotAsync(gameId));
        if (game.Hostile is null && user.Hostile is null && pageSize.IsValid && continuation.IsValid)
        {
            Assert.Equal(StatusCodes.Status200OK, status);
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Marking_read_answers_204_or_a_refusal_that_changed_nothing(RouteValue game, RouteValue user, RouteValue notification)
    {
        using var app = await SeededAppAsync();
        var (gameId, userId, notificationId) = (game.Or("odin"), user.Or("u1"), notification.Or("n1"));
        var before = await app.SnapshotAsync(gameId);

        var status = HostileInput.StatusOf(
            await app.Create<InboxFunctions>().MarkReadAsync(Request(), gameId, userId, notificationId), [StatusCodes.Status204NoContent]);

        if (game.Hostile is null && user.Hostile is null && notification.Hostile is null)
        {
            Assert.Equal(StatusCodes.Status204NoContent, status);
        }
        else if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, await app.SnapshotAsync(gameId));
        }
    }

    /// <summary>Five inbox notifications of player u1 in odin, one minute apart.</summary>
    private static async Task<NotificationsApp> SeededAppAsync()
    {
        var app = new NotificationsApp();
        for (var i = 0; i < 5; i++)
        {
            await app.Notifications.CreateAsync(
                new Notification
                {
                    Id = $"n{i}", RuleId = "r1", GameId = "odin", UserId = "u1", EventId = $"e{i}", Time = Time.AddMinutes(i), Priority = "normal",
                    Channels = ["inbox"], Locale = "en", Title = "T", Body = "B", Ttl = 86400,
                },
                CancellationToken.None);
        }

        return app;
    }
}
