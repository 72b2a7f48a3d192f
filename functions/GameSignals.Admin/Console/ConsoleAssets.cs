using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Console;

/// <summary>
/// The console's static files, embedded in this assembly so the function app and the local host serve the same
/// bytes without a file system: our <c>console.js</c> and <c>console.css</c>, and the minified dist files of htmx
/// (npm <c>htmx.org</c> 2.0.11) and Chart.js (npm <c>chart.js</c> 4.6.1), committed with their licences.
/// </summary>
public static class ConsoleAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["console.js"] = "text/javascript; charset=utf-8",
        ["console.css"] = "text/css; charset=utf-8",
        ["htmx.min.js"] = "text/javascript; charset=utf-8",
        ["chart.umd.min.js"] = "text/javascript; charset=utf-8",
    };

    public static IActionResult Get(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (name is null || !ContentTypes.TryGetValue(name, out var contentType)
            || typeof(ConsoleAssets).Assembly.GetManifestResourceStream("console/" + name) is not { } stream)
        {
            return Http.Problems.NotFound($"The console has no asset '{name}'.");
        }

        request.HttpContext.Response.Headers.CacheControl = "public, max-age=300";
        return new FileStreamResult(stream, contentType);
    }
}
