using GameSignals.Admin;
using GameSignals.Admin.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Notifications;

/// <summary>A player's inbox (<see cref="InboxAdmin"/>) as HTTP functions.</summary>
public sealed class InboxFunctions(InboxAdmin admin)
{
    [Function("GetInbox")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Inbox)] HttpRequest request, string gameId, string userId) =>
        admin.GetAsync(request, gameId, userId);

    [Function("MarkInboxRead")]
    public Task<IActionResult> MarkReadAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.InboxRead)] HttpRequest request, string gameId, string userId, string notificationId) =>
        admin.MarkReadAsync(request, gameId, userId, notificationId);
}
