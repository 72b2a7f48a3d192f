using GameSignals.Admin;
using GameSignals.Admin.Fraud;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Fraud;

/// <summary>The fraud admin API (<see cref="FraudAdmin"/>) as HTTP functions.</summary>
public sealed class FraudAdminFunctions(FraudAdmin admin)
{
    [Function("GetFraudConfig")]
    public Task<IActionResult> GetConfigAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.FraudConfig)] HttpRequest request, string gameId) =>
        admin.GetConfigAsync(request, gameId);

    [Function("PutFraudConfig")]
    public Task<IActionResult> PutConfigAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = AdminRoutes.FraudConfig)] HttpRequest request, string gameId) =>
        admin.PutConfigAsync(request, gameId);

    [Function("ListFraudFlags")]
    public Task<IActionResult> ListFlagsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Flags)] HttpRequest request, string gameId) =>
        admin.ListFlagsAsync(request, gameId);

    [Function("GetFraudFlag")]
    public Task<IActionResult> GetFlagAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Flag)] HttpRequest request, string gameId, string flagId) =>
        admin.GetFlagAsync(request, gameId, flagId);

    [Function("ResolveFraudFlag")]
    public Task<IActionResult> ResolveFlagAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.FlagResolve)] HttpRequest request, string gameId, string flagId) =>
        admin.ResolveFlagAsync(request, gameId, flagId);

    [Function("DismissFraudFlag")]
    public Task<IActionResult> DismissFlagAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.FlagDismiss)] HttpRequest request, string gameId, string flagId) =>
        admin.DismissFlagAsync(request, gameId, flagId);
}
