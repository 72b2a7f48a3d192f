using GameSignals.Admin;
using GameSignals.Admin.Access;
using GameSignals.Admin.Health;
using GameSignals.Admin.IpRanges;
using GameSignals.Cli.Replay;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GameSignals.Cli.LiveConsole;

/// <summary>
/// The local host of the admin API and the console: ASP.NET Core minimal APIs on 127.0.0.1, mapping
/// <see cref="AdminRoutes.All"/> under <c>/api/</c>, and the API routes again under <c>/api/console/api/</c> where the
/// console's browser calls them (as in Azure), over the replay's embedded stores.
/// </summary>
/// <remarks>
/// Every request is the local operator's (<see cref="AdminCaller.LocalOperator"/>, role Admin): the host listens on
/// 127.0.0.1 only, over data replayed from files, so whoever can reach it runs it.
/// </remarks>
internal static class ConsoleHost
{
    /// <summary>A host over <paramref name="stores"/>, not started; port 0 picks a free one (tests).</summary>
    public static WebApplication Build(ReplayStores stores, string defaultGame, int port)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration[AdminRoutes.DefaultGameSetting] = defaultGame;
        var services = builder.Services;
        stores.Register(services, faults: null);
        services.AddSingleton(TimeProvider.System);
        // What only the admin API writes: kept by this host, for as long as it runs.
        var blocklist = new InMemoryBlocklistStore();
        services.AddSingleton<IRuleHistoryStore>(new InMemoryRuleHistoryStore());
        services.AddSingleton<RuleEditor>();
        services.AddSingleton<IBlocklistStore>(blocklist);
        services.AddSingleton<IRangePublisher>(new ConsoleRangePublisher((RangeTable)stores.IpRanges!, blocklist));
        services.AddSingleton<SimilarityService>();
        services.AddHealthChecks();
        services.AddSingleton<IFailureCounts>(new ConsoleFailureCounts(stores.DeadLetters));
        services.AddAdminHandlers();

        // Executes the handlers' IActionResults (the same results the function app answers).
        services.AddMvcCore();
        var app = builder.Build();
        app.Use((http, next) =>
        {
            AdminCaller.LocalOperator.EstablishOn(http);
            return next(http);
        });
        app.MapGet("/", () => Results.Redirect("/api/console/rules"));
        foreach (var route in AdminRoutes.All)
        {
            app.MapMethods("/api/" + route.Template, [route.Method], async Task<IResult> (HttpContext http) => new ActionResultAdapter(await route.Invoke(http).ConfigureAwait(false)))
                .WithName(route.Name);
        }

        foreach (var route in AdminRoutes.Api)
        {
            app.MapMethods("/api/" + AdminRoutes.ConsoleApiPrefix + route.Template, [route.Method], async Task<IResult> (HttpContext http) => new ActionResultAdapter(await route.Invoke(http).ConfigureAwait(false)));
        }

        return app;
    }

    /// <summary>Runs an MVC action result as a minimal API result.</summary>
    private sealed class ActionResultAdapter(IActionResult result) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            result.ExecuteResultAsync(new ActionContext(httpContext, httpContext.GetRouteData(), new ActionDescriptor()));
    }
}
