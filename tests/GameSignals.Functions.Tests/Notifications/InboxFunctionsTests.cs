using GameSignals.Functions.Notifications;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Notifications;

public sealed class InboxFunctionsTests : IDisposable
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly NotificationsApp _app = new();
    private readonly InboxFunctions _functions;

    public InboxFunctionsTests() => _functions = _app.Create<InboxFunctions>();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_inbox_of_a_game_pages_newest_first_with_the_unread_count()
    {
        for (var i = 0; i < 3; i++)
        {
            await StoreAsync($"n{i}", Time.AddMinutes(i));
        }

        await _app.Notifications.MarkReadAsync("u1", "n2", CancellationToken.None);
        await _app.Notifications.CreateAsync(Notification("ares-1", Time.AddHours(1)) with { GameId = "ares" }, CancellationToken.None);

        var first = Json(await _functions.GetAsync(Request(query: "?pageSize=2"), "odin", "u1"));
        var token = first.GetProperty("continuation").GetString()!;
        var second = Json(await _functions.GetAsync(Request(query: "?pageSize=2&continuation=" + Uri.EscapeDataString(token)), "odin", "u1"));

        Assert.Equal(["n2", "n1"], first.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal((2, true), (first.GetProperty("unreadCount").GetInt32(), first.GetProperty("items")[0].GetProperty("read").GetBoolean()));
        Assert.Equal(["n0"], second.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.False(second.TryGetProperty("continuation", out _));
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?pageSize=ten", "pageSize")]
    [InlineData("?pageSize=1&pageSize=2", "pageSize")]
    [InlineData("?continuation=", "continuation")]
    [InlineData("?continuation=not-a-token", "continuation")]
    public async Task Bad_query_parameters_are_a_400_naming_them(string query, string field)
    {
        await StoreAsync("n0", Time);

        Assert.Contains(field, Errors(await _functions.GetAsync(Request(query: query), "odin", "u1")).Keys);
    }

    [Theory]
    [InlineData("od/in", "u1", "gameId")]
    [InlineData("odin", "u#1", "userId")]
    public async Task Bad_route_values_are_a_400(string gameId, string userId, string field)
    {
        Assert.Contains(field, Errors(await _functions.GetAsync(Request(), gameId, userId)).Keys);
        Assert.Contains(field, Errors(await _functions.MarkReadAsync(Request(), gameId, userId, "n0")).Keys);
    }

    [Fact]
    public async Task Marking_read_is_idempotent_and_lowers_the_unread_count()
    {
        await StoreAsync("n0", Time);

        Assert.IsType<NoContentResult>(await _functions.MarkReadAsync(Request(), "odin", "u1", "n0"));
        Assert.IsType<NoContentResult>(await _functions.MarkReadAsync(Request(), "odin", "u1", "n0"));

        Assert.Equal(0, Json(await _functions.GetAsync(Request(), "odin", "u1")).GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task Marking_read_a_notification_of_another_user_game_or_none_is_a_404_that_changes_nothing()
    {
        await StoreAsync("n0", Time);

        Problem(await _functions.MarkReadAsync(Request(), "odin", "u2", "n0"), StatusCodes.Status404NotFound);
        Problem(await _functions.MarkReadAsync(Request(), "ares", "u1", "n0"), StatusCodes.Status404NotFound);
        Problem(await _functions.MarkReadAsync(Request(), "odin", "u1", "missing"), StatusCodes.Status404NotFound);
        Problem(await _functions.MarkReadAsync(Request(), "odin", "u1", "bad id!"), StatusCodes.Status400BadRequest);

        Assert.False((await _app.Notifications.GetAsync("u1", "n0", CancellationToken.None))!.Read);
    }

    private ValueTask<(Notification, bool)> StoreAsync(string id, DateTimeOffset time) => _app.Notifications.CreateAsync(Notification(id, time), CancellationToken.None);

    private static Notification Notification(string id, DateTimeOffset time) => new()
    {
        Id = id, RuleId = "r1", GameId = "odin", UserId = "u1", EventId = "e-" + id, Time = time, Priority = "normal",
        Channels = ["inbox"], Locale = "en", Title = "T", Body = "B", Ttl = 86400,
    };
}
