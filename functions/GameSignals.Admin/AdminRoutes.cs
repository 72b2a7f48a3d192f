using GameSignals.Admin.Console;
using GameSignals.Admin.Events;
using GameSignals.Admin.Fraud;
using GameSignals.Admin.Health;
using GameSignals.Admin.IpRanges;
using GameSignals.Admin.Notifications;
using GameSignals.Admin.OpenApi;
using GameSignals.Admin.Profiles;
using GameSignals.Admin.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Admin;

/// <summary>Who may call a route (Entra ID app roles); <see cref="Admin"/> may call every route.</summary>
public enum AdminRole
{
    Viewer,

    /// <summary>Changes notification rules.</summary>
    LiveOps,

    /// <summary>Reviews flags, changes the blocklist and fraud settings.</summary>
    Security,

    Admin,
}

/// <summary>
/// One admin route: the function's name, its method and template (under <c>/api/</c>), the role it needs (null:
/// anyone) and how it calls its handler. The function app declares the same routes in its attributes (a test
/// keeps them equal) and the signed-in console reaches them under <see cref="AdminRoutes.ConsoleApiPrefix"/>;
/// the console host maps these.
/// </summary>
public sealed record AdminRoute(string Name, string Method, string Template, AdminRole? Role, Func<HttpContext, Task<IActionResult>> Invoke)
{
    /// <summary>What the route does, in a line (its OpenAPI summary), when its name does not say it.</summary>
    public string? Summary { get; init; }

    /// <summary>The query parameters the handler reads (its OpenAPI document, <see cref="OpenApi.AdminOpenApi"/>).</summary>
    public IReadOnlyList<string> Query { get; init; } = [];

    /// <summary>The contract of the JSON body the handler reads (docs/contract.md), or null when it reads none.</summary>
    public string? Body { get; init; }

    /// <summary>The statuses it answers when it succeeds.</summary>
    public IReadOnlyList<int> Success { get; init; } = [StatusCodes.Status200OK];

    /// <summary>The media types of a successful answer.</summary>
    public IReadOnlyList<string> Produces { get; init; } = ["application/json"];
}

/// <summary>Every admin route, once.</summary>
public static class AdminRoutes
{
    public const string Rules = "games/{gameId}/rules";
    public const string Rule = Rules + "/{ruleId}";
    public const string RuleHistory = Rule + "/history";
    public const string RulePromote = Rule + ":promote";
    public const string RuleTest = Rule + ":test";
    public const string ShadowNotifications = Rule + "/shadow/notifications";
    public const string ShadowCounts = Rule + "/shadow/counts";
    public const string ShadowComparison = Rule + "/shadow/comparison";
    public const string Inbox = "games/{gameId}/players/{userId}/inbox";
    public const string InboxRead = Inbox + "/{notificationId}:read";
    public const string FraudConfig = "games/{gameId}/fraud-config";
    public const string Flags = "games/{gameId}/flags";
    public const string Flag = Flags + "/{flagId}";
    public const string FlagResolve = Flag + ":resolve";
    public const string FlagDismiss = Flag + ":dismiss";
    public const string Blocklist = "blocklist";
    public const string BlocklistEntry = "blocklist/{id}";
    public const string IpLookup = "ip/{address}";
    public const string IpRangesRefresh = "ipranges/refresh";
    public const string Similar = "games/{gameId}/players/similar";
    public const string Peers = "games/{gameId}/players/{userId}/peers";
    public const string RecentEvents = "games/{gameId}/players/{userId}/events";
    public const string StatsSettings = "games/{gameId}/stats-settings";
    public const string Experiment = "games/{gameId}/experiments/{experimentId}";
    public const string PlayerExperiment = "games/{gameId}/players/{userId}/experiment";
    public const string Health = "health";
    public const string Failures = "health/failures";
    public const string OpenApiDocument = "openapi.json";
    public const string ConsolePage = "console/{page?}";
    public const string ConsoleAsset = "console/assets/{name}";

    /// <summary>
    /// Where the console's browser calls the API routes (<c>/api/console/api/games/...</c>): signed in, with roles
    /// checked, because the per-route functions under <c>/api/</c> only admit a function key (docs/design.md, "Authorization").
    /// </summary>
    public const string ConsoleApiPrefix = "console/api/";

    public const string ConsolePageName = "ConsolePage";

    /// <summary>
    /// The configuration key of the game the console opens when the URL names none (<c>Console:DefaultGame</c>).
    /// </summary>
    public const string DefaultGameSetting = "Console:DefaultGame";

    private static readonly string[] Paged = ["pageSize", "continuation"];

    private static readonly string[] TimeRange = ["from", "to"];

    public static IReadOnlyList<AdminRoute> All { get; } =
    [
        new("ListRules", "GET", Rules, AdminRole.Viewer, h => Get<RulesAdmin>(h).ListAsync(h.Request, V(h, "gameId"))),
        new("GetRule", "GET", Rule, AdminRole.Viewer, h => Get<RulesAdmin>(h).GetAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))),
        new("PutRule", "PUT", Rule, AdminRole.LiveOps, h => Get<RulesAdmin>(h).PutAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Body = "NotificationRule", Success = [StatusCodes.Status200OK, StatusCodes.Status201Created] },
        new("DeleteRule", "DELETE", Rule, AdminRole.LiveOps, h => Get<RulesAdmin>(h).DeleteAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Success = [StatusCodes.Status204NoContent] },
        new("PromoteRule", "POST", RulePromote, AdminRole.LiveOps, h => Get<RulesAdmin>(h).PromoteAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))),
        new("GetRuleHistory", "GET", RuleHistory, AdminRole.Viewer, h => Get<RulesAdmin>(h).HistoryAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Query = Paged },
        new("TestRule", "POST", RuleTest, AdminRole.Viewer, h => Get<RulesAdmin>(h).TestAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Body = "RuleTestRequest" },
        new("ListShadowNotifications", "GET", ShadowNotifications, AdminRole.Viewer, h => Get<ShadowRulesAdmin>(h).ListAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Query = [.. TimeRange, .. Paged] },
        new("GetShadowCounts", "GET", ShadowCounts, AdminRole.Viewer, h => Get<ShadowRulesAdmin>(h).CountsAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Query = TimeRange },
        new("CompareShadowRule", "GET", ShadowComparison, AdminRole.Viewer, h => Get<ShadowRulesAdmin>(h).CompareAsync(h.Request, V(h, "gameId"), V(h, "ruleId"))) { Query = TimeRange },
        new("GetInbox", "GET", Inbox, AdminRole.Viewer, h => Get<InboxAdmin>(h).GetAsync(h.Request, V(h, "gameId"), V(h, "userId"))) { Query = Paged },
        new("MarkInboxRead", "POST", InboxRead, AdminRole.LiveOps, h => Get<InboxAdmin>(h).MarkReadAsync(h.Request, V(h, "gameId"), V(h, "userId"), V(h, "notificationId"))) { Success = [StatusCodes.Status204NoContent] },
        new("GetFraudConfig", "GET", FraudConfig, AdminRole.Viewer, h => Get<FraudAdmin>(h).GetConfigAsync(h.Request, V(h, "gameId"))),
        new("PutFraudConfig", "PUT", FraudConfig, AdminRole.Security, h => Get<FraudAdmin>(h).PutConfigAsync(h.Request, V(h, "gameId"))) { Body = "GameFraudConfig", Success = [StatusCodes.Status200OK, StatusCodes.Status201Created] },
        new("ListFraudFlags", "GET", Flags, AdminRole.Viewer, h => Get<FraudAdmin>(h).ListFlagsAsync(h.Request, V(h, "gameId"))) { Query = ["userId", "reason", "status", .. TimeRange, .. Paged] },
        new("GetFraudFlag", "GET", Flag, AdminRole.Viewer, h => Get<FraudAdmin>(h).GetFlagAsync(h.Request, V(h, "gameId"), V(h, "flagId"))),
        new("ResolveFraudFlag", "POST", FlagResolve, AdminRole.Security, h => Get<FraudAdmin>(h).ResolveFlagAsync(h.Request, V(h, "gameId"), V(h, "flagId"))) { Body = "FlagReviewRequest" },
        new("DismissFraudFlag", "POST", FlagDismiss, AdminRole.Security, h => Get<FraudAdmin>(h).DismissFlagAsync(h.Request, V(h, "gameId"), V(h, "flagId"))) { Body = "FlagReviewRequest" },
        new("BlocklistList", "GET", Blocklist, AdminRole.Viewer, h => Get<BlocklistAdmin>(h).ListAsync(h.Request)),
        new("BlocklistGet", "GET", BlocklistEntry, AdminRole.Viewer, h => Get<BlocklistAdmin>(h).GetAsync(h.Request, V(h, "id"))),
        new("BlocklistPut", "PUT", BlocklistEntry, AdminRole.Security, h => Get<BlocklistAdmin>(h).PutAsync(h.Request, V(h, "id"))) { Body = "BlocklistEntryRequest", Success = [StatusCodes.Status200OK, StatusCodes.Status201Created] },
        new("BlocklistDelete", "DELETE", BlocklistEntry, AdminRole.Security, h => Get<BlocklistAdmin>(h).DeleteAsync(h.Request, V(h, "id"))) { Success = [StatusCodes.Status204NoContent] },
        new("IpLookup", "GET", IpLookup, AdminRole.Viewer, h => Get<IpLookupAdmin>(h).LookupAsync(h.Request, V(h, "address"))),
        new("IpRangesRefreshNow", "POST", IpRangesRefresh, AdminRole.Security, h => Get<IpLookupAdmin>(h).RefreshAsync(h.Request)),
        new("ProfilesSimilar", "POST", Similar, AdminRole.Viewer, h => Get<SimilarityAdmin>(h).SimilarAsync(h.Request, V(h, "gameId"))) { Body = "SimilarRequest" },
        new("ListRecentEvents", "GET", RecentEvents, AdminRole.Viewer, h => Get<RecentEventsAdmin>(h).ListAsync(h.Request, V(h, "gameId"), V(h, "userId")))
        {
            Query = ["limit"],
            Summary = "The player's last events (at most limit, 1 to 100, default 50), oldest first, as CloudEvents: what a rule's dry run can run against. Locally the replayed events; in Azure the hubs' last hour (docs/design.md).",
        },
        new("GetStatsSettings", "GET", StatsSettings, AdminRole.Viewer, h => Get<StatsAdmin>(h).GetSettingsAsync(h.Request, V(h, "gameId"))),
        new("PutStatsSettings", "PUT", StatsSettings, AdminRole.LiveOps, h => Get<StatsAdmin>(h).PutSettingsAsync(h.Request, V(h, "gameId"))) { Body = "GameStatsSettings", Success = [StatusCodes.Status200OK, StatusCodes.Status201Created] },
        new("GetExperiment", "GET", Experiment, AdminRole.Viewer, h => Get<StatsAdmin>(h).GetExperimentAsync(h.Request, V(h, "gameId"), V(h, "experimentId")))
        {
            Summary = "An experiment's D1 and D7 retention and conversion to paying per arm, with Wilson 95% intervals, summed over every partition's counts.",
        },
        new("GetPlayerExperiment", "GET", PlayerExperiment, AdminRole.Viewer, h => Get<StatsAdmin>(h).GetPlayerAsync(h.Request, V(h, "gameId"), V(h, "userId")))
        {
            Summary = "The player's arm in the game's experiment and the stats notifications they would have received in the control arm, with their explanations.",
        },
        new("ProfilesPeers", "GET", Peers, AdminRole.Viewer, h => Get<SimilarityAdmin>(h).PeersAsync(h.Request, V(h, "gameId"), V(h, "userId"))) { Query = ["k"] },
        new("Health", "GET", Health, null, h => Get<HealthAdmin>(h).GetAsync(h.Request)),
        new("GetFailureCounts", "GET", Failures, AdminRole.Viewer, h => Get<FailuresAdmin>(h).GetAsync(h.Request))
        {
            Summary = "Dead letters written in the last day (deadLettersComplete false when counting stopped at its bound) and the push requests in push-requests-poison (approximate; null where no push is sent).",
        },
        new("OpenApi", "GET", OpenApiDocument, null, h => Task.FromResult<IActionResult>(AdminOpenApi.Write())),
        new(ConsolePageName, "GET", ConsolePage, AdminRole.Viewer, h => Get<ConsolePages>(h).PageAsync(h.Request, h.Request.RouteValues["page"]?.ToString(), DefaultGame(h))) { Query = ["game", "ip", "user", "userId", "reason", "status"], Produces = ["text/html"] },
        new("ConsoleAsset", "GET", ConsoleAsset, null, h => Task.FromResult(ConsoleAssets.Get(h.Request, V(h, "name")))) { Produces = ["text/javascript", "text/css"] },
    ];

    /// <summary>The routes of the API proper: all but the console's pages and assets.</summary>
    public static IReadOnlyList<AdminRoute> Api { get; } = [.. All.Where(r => !r.Template.StartsWith("console/", StringComparison.Ordinal))];

    private static readonly (AdminRoute Route, TemplateMatcher Matcher)[] Matchers =
        [.. Api.Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary())))];

    /// <summary>The API route a method and a path under <c>/api/</c> (e.g. <c>/games/odin/rules</c>) name, with its route values; null for none.</summary>
    public static (AdminRoute Route, RouteValueDictionary Values)? Match(string method, PathString path)
    {
        foreach (var (route, matcher) in Matchers)
        {
            var values = new RouteValueDictionary();
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase) && matcher.TryMatch(path, values))
            {
                return (route, values);
            }
        }

        return null;
    }

    /// <summary>The handlers, for both hosts: each over Core's services, which the host registers.</summary>
    public static IServiceCollection AddAdminHandlers(this IServiceCollection services)
    {
        services.AddSingleton<RulesAdmin>();
        services.AddSingleton<ShadowRulesAdmin>();
        services.AddSingleton<InboxAdmin>();
        services.AddSingleton<FraudAdmin>();
        services.AddSingleton<BlocklistAdmin>();
        services.AddSingleton<IpLookupAdmin>();
        services.AddSingleton<SimilarityAdmin>();
        services.AddSingleton<StatsAdmin>();
        services.AddSingleton<RecentEventsAdmin>();
        services.AddSingleton<HealthAdmin>();
        services.AddSingleton<FailuresAdmin>();
        services.AddSingleton<ConsolePages>();
        return services;
    }

    private static string DefaultGame(HttpContext http) =>
        http.RequestServices.GetRequiredService<IConfiguration>()[DefaultGameSetting] ?? "odin";

    private static T Get<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();

    /// <summary>A route value as the host decoded it (an absent one as empty, which every id check refuses).</summary>
    private static string V(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";
}
