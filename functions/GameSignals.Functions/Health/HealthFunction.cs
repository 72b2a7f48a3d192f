using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameSignals.Functions.Health;

/// <summary>
/// <c>GET /api/health</c>: whether each dependency answers. 200 when all do, 503 otherwise. It tells
/// nothing else (no endpoints, no error text), since it is open to anyone.
/// </summary>
public sealed class HealthFunction(HealthCheckService health)
{
    [Function("Health")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var healthy = report.Status == HealthStatus.Healthy;
        var body = new HealthResponse(
            healthy ? "healthy" : "unhealthy",
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy ? "up" : "down", StringComparer.Ordinal));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ObjectResult(body) { StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable };
    }
}

/// <summary>The health answer: overall status and <c>up</c>/<c>down</c> per dependency.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Dependencies);
