using System.Globalization;
using GameSignals.Functions.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Notifications;

/// <summary>A player's inbox: newest first with the unread count, and marking a notification read.</summary>
public sealed class InboxFunctions(INotificationStore notifications)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    [Function("GetInbox")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/players/{userId}/inbox")] HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId)) is { } invalid)
        {
            return invalid;
        }

        var pageSize = DefaultPageSize;
        if (request.Query.TryGetValue("pageSize", out var size)
            && (size.Count != 1 || !int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return Problems.BadRequest("The query parameter pageSize is not valid.", AdminHttp.Errors("pageSize", $"a whole number from 1 to {MaxPageSize}"));
        }

        string? continuation = null;
        if (request.Query.TryGetValue("continuation", out var token))
        {
            if (token.Count != 1 || string.IsNullOrEmpty(token[0]))
            {
                return Problems.BadRequest("The query parameter continuation is not valid.", AdminHttp.Errors("continuation", "one token from a previous page"));
            }

            continuation = token[0];
        }

        InboxPage page;
        try
        {
            page = await notifications.ListInboxAsync(gameId, userId, pageSize, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex) when (ex.ParamName == "continuationToken")
        {
            return Problems.BadRequest("The query parameter continuation is not valid.", AdminHttp.Errors("continuation", "not a token a previous page of this inbox returned"));
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var response = new InboxResponse([.. page.Items.Select(NotificationView.From)], page.ContinuationToken, page.UnreadCount);
        return AdminHttp.Json(response, NotificationsAdminJson.Default.InboxResponse);
    }

    [Function("MarkInboxRead")]
    public async Task<IActionResult> MarkReadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "games/{gameId}/players/{userId}/inbox/{notificationId}:read")] HttpRequest request,
        string gameId, string userId, string notificationId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId) ?? RouteIds.Resource(nameof(notificationId), notificationId)) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var notification = await notifications.GetAsync(userId, notificationId, cancellationToken).ConfigureAwait(false);
        if (notification is null || notification.GameId != gameId || !notification.InInbox
            || !await notifications.MarkReadAsync(userId, notificationId, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound($"Player {userId} of game {gameId} has no notification {notificationId} in the inbox.");
        }

        return new NoContentResult();
    }
}
