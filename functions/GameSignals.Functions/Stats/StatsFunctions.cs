using GameSignals.Admin;
using GameSignals.Admin.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Stats;

/// <summary>The stats admin API (<see cref="StatsAdmin"/>) as HTTP functions.</summary>
public sealed class StatsFunctions(StatsAdmin admin)
{
    [Function("GetStatsSettings")]
    public Task<IActionResult> GetSettingsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.StatsSettings)] HttpRequest request, string gameId) =>
        admin.GetSettingsAsync(request, gameId);

    [Function("PutStatsSettings")]
    public Task<IActionResult> PutSettingsAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = AdminRoutes.StatsSettings)] HttpRequest request, string gameId) =>
        admin.PutSettingsAsync(request, gameId);

    [Function("GetExperiment")]
    public Task<IActionResult> GetExperimentAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Experiment)] HttpRequest request, string gameId, string experimentId) =>
        admin.GetExperimentAsync(request, gameId, experimentId);

    [Function("GetPlayerExperiment")]
    public Task<IActionResult> GetPlayerAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.PlayerExperiment)] HttpRequest request, string gameId, string userId) =>
        admin.GetPlayerAsync(request, gameId, userId);
}
