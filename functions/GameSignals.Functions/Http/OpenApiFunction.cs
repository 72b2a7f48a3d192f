using GameSignals.Admin;
using GameSignals.Admin.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Http;

/// <summary><c>GET /api/openapi.json</c> (<see cref="AdminOpenApi"/>), open to anyone: it describes routes, never data.</summary>
public static class OpenApiFunction
{
    [Function("OpenApi")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdminRoutes.OpenApiDocument)] HttpRequest request) => AdminOpenApi.Write();
}
