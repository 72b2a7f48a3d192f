using GameSignals.Admin;
using GameSignals.Admin.Access;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Console;

/// <summary>
/// The console in Azure: its pages, its static assets, and the admin API for its browser under
/// <c>/api/console/api/</c>. Anonymous to the host, because a signed-in browser has no function key; the caller
/// is the user App Service Authentication validated, and each route's role is checked (<see cref="AdminAccess"/>).
/// </summary>
public sealed class ConsoleFunctions(AdminAccess access)
{
    private const string RoutePrefix = "/api/";

    private static readonly AdminRoute Page = AdminRoutes.All.Single(r => r.Name == AdminRoutes.ConsolePageName);

    private static readonly AdminRoute Asset = AdminRoutes.All.Single(r => r.Template == AdminRoutes.ConsoleAsset);

    [Function(AdminRoutes.ConsolePageName)]
    public Task<IActionResult> PageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdminRoutes.ConsolePage)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The optional {page} is read from the path: the worker binds no route value that is absent.
        request.Path.StartsWithSegments(RoutePrefix + "console", out var rest);
        request.RouteValues["page"] = rest.Value?.Trim('/');
        return access.InvokeAsync(request.HttpContext, Page);
    }

    [Function("ConsoleAsset")]
    public Task<IActionResult> AssetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdminRoutes.ConsoleAsset)] HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.RouteValues["name"] = name;
        return access.InvokeAsync(request.HttpContext, Asset);
    }

    /// <summary>Every API route of <see cref="AdminRoutes.Api"/>, matched by method and path as the host would.</summary>
    [Function("ConsoleApi")]
    public Task<IActionResult> ApiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "post", "delete", Route = AdminRoutes.ConsoleApiPrefix + "{*path}")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Path.StartsWithSegments(RoutePrefix + AdminRoutes.ConsoleApiPrefix.TrimEnd('/'), out var rest) || AdminRoutes.Match(request.Method, rest) is not { } match)
        {
            return Task.FromResult<IActionResult>(Problems.NotFound($"No admin route answers {request.Method} {request.Path}."));
        }

        foreach (var (key, value) in match.Values)
        {
            request.RouteValues[key] = value;
        }

        return access.InvokeAsync(request.HttpContext, match.Route);
    }
}
