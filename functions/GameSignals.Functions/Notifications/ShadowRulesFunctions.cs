using GameSignals.Admin;
using GameSignals.Admin.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Notifications;

/// <summary>The shadow rules' evidence (<see cref="ShadowRulesAdmin"/>) as HTTP functions.</summary>
public sealed class ShadowRulesFunctions(ShadowRulesAdmin admin)
{
    [Function("ListShadowNotifications")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.ShadowNotifications)] HttpRequest request, string gameId, string ruleId) =>
        admin.ListAsync(request, gameId, ruleId);

    [Function("GetShadowCounts")]
    public Task<IActionResult> CountsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.ShadowCounts)] HttpRequest request, string gameId, string ruleId) =>
        admin.CountsAsync(request, gameId, ruleId);

    [Function("CompareShadowRule")]
    public Task<IActionResult> CompareAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.ShadowComparison)] HttpRequest request, string gameId, string ruleId) =>
        admin.CompareAsync(request, gameId, ruleId);
}
