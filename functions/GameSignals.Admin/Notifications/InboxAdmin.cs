using GameSignals.Admin.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Notifications;

/// <summary>A player's inbox: newest first with the unread count, and marking a notification read.</summary>
public sealed class InboxAdmin(INotificationStore notifications)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<IActionResult> GetAsync(HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId)) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var paging = query.Paging(DefaultPageSize, MaxPageSize);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        InboxPage page;
        try
        {
            page = await notifications.ListInboxAsync(gameId, userId, paging.PageSize, paging.Continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (paging.Continuation is not null)
        {
            return QueryParameters.InvalidContinuation();
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var response = new InboxResponse([.. page.Items.Select(NotificationView.From)], page.ContinuationToken, page.UnreadCount);
        return AdminJson.Write(response, NotificationsAdminJson.Default.InboxResponse);
    }

    public async Task<IActionResult> MarkReadAsync(HttpRequest request, string gameId, string userId, string notificationId)
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
