using GameSignals.Admin;
using GameSignals.Admin.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Events;

/// <summary>A player's last events read back from the hubs (<see cref="RecentEventsAdmin"/>) as an HTTP function.</summary>
public sealed class RecentEventsFunctions(RecentEventsAdmin admin)
{
    [Function("ListRecentEvents")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.RecentEvents)] HttpRequest request, string gameId, string userId) =>
        admin.ListAsync(request, gameId, userId);
}
