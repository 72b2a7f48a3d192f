using GameSignals.Admin;
using GameSignals.Admin.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Health;

/// <summary><c>GET /api/health</c> (<see cref="HealthAdmin"/>), open to anyone.</summary>
public sealed class HealthFunction(HealthAdmin admin)
{
    [Function("Health")]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdminRoutes.Health)] HttpRequest request) =>
        admin.GetAsync(request);
}

/// <summary><c>GET /api/health/failures</c> (<see cref="FailuresAdmin"/>): the failures of the last day, with a function key.</summary>
public sealed class FailuresFunction(FailuresAdmin admin)
{
    [Function("GetFailureCounts")]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Failures)] HttpRequest request) =>
        admin.GetAsync(request);
}
