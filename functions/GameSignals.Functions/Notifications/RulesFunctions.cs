using GameSignals.Admin;
using GameSignals.Admin.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Notifications;

/// <summary>The rules admin API (<see cref="RulesAdmin"/>) as HTTP functions.</summary>
public sealed class RulesFunctions(RulesAdmin admin)
{
    [Function("ListRules")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Rules)] HttpRequest request, string gameId) =>
        admin.ListAsync(request, gameId);

    [Function("GetRule")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Rule)] HttpRequest request, string gameId, string ruleId) =>
        admin.GetAsync(request, gameId, ruleId);

    [Function("PutRule")]
    public Task<IActionResult> PutAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = AdminRoutes.Rule)] HttpRequest request, string gameId, string ruleId) =>
        admin.PutAsync(request, gameId, ruleId);

    [Function("PromoteRule")]
    public Task<IActionResult> PromoteAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.RulePromote)] HttpRequest request, string gameId, string ruleId) =>
        admin.PromoteAsync(request, gameId, ruleId);

    [Function("GetRuleHistory")]
    public Task<IActionResult> HistoryAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.RuleHistory)] HttpRequest request, string gameId, string ruleId) =>
        admin.HistoryAsync(request, gameId, ruleId);

    [Function("DeleteRule")]
    public Task<IActionResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = AdminRoutes.Rule)] HttpRequest request, string gameId, string ruleId) =>
        admin.DeleteAsync(request, gameId, ruleId);

    [Function("TestRule")]
    public Task<IActionResult> TestAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.RuleTest)] HttpRequest request, string gameId, string ruleId) =>
        admin.TestAsync(request, gameId, ruleId);
}
