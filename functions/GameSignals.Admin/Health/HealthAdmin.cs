using System.Text.Json.Serialization;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameSignals.Admin.Health;

/// <summary>
/// Whether each dependency answers: 200 when all do, 503 otherwise. It tells nothing else (no endpoints, no error
/// text), since it is open to anyone.
/// </summary>
public sealed class HealthAdmin(HealthCheckService health)
{
    public async Task<IActionResult> GetAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var healthy = report.Status == HealthStatus.Healthy;
        var body = new HealthResponse(
            healthy ? "healthy" : "unhealthy",
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy ? "up" : "down", StringComparer.Ordinal));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return AdminJson.Write(body, HealthJson.Default.HealthResponse, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The health answer: overall status and <c>up</c>/<c>down</c> per dependency.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, string> Dependencies);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJson : JsonSerializerContext;
