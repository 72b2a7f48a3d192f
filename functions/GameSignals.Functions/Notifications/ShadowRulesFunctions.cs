using GameSignals.Functions.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Notifications;

/// <summary>
/// What a shadow rule would have done, as evidence for promoting it: its would-be notifications, their counts per
/// hour, and, for a candidate, the comparison with the active rule it names over the same events. All between
/// optional <c>from</c> and <c>to</c> (event time, <c>[from, to)</c>). The records outlive the rule (a promoted
/// candidate is deleted), so a rule id without records answers empty, not 404.
/// </summary>
public sealed class ShadowRulesFunctions(IShadowNotificationStore shadows)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    private const string ShadowRoute = "games/{gameId}/rules/{ruleId}/shadow";

    [Function("ListShadowNotifications")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ShadowRoute + "/notifications")] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var (from, to) = query.TimeRange();
        var pageSize = query.PageSize(DefaultPageSize, MaxPageSize);
        var continuation = query.Value("continuation");
        if (query.Errors.Count > 0)
        {
            return Problems.BadRequest("The query parameters are not valid.", query.Errors);
        }

        ShadowPage page;
        try
        {
            page = await shadows.ListNotificationsAsync(new ShadowQuery(gameId, ruleId, from, to, pageSize, continuation), request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (continuation is not null)
        {
            return Problems.BadRequest("The query parameter continuation is not valid.", AdminHttp.Errors("continuation", "not a token a previous page of this list returned"));
        }

        var response = new ShadowNotificationsResponse([.. page.Items.Select(NotificationView.From)], page.ContinuationToken);
        return AdminHttp.Json(response, NotificationsAdminJson.Default.ShadowNotificationsResponse);
    }

    [Function("GetShadowCounts")]
    public async Task<IActionResult> CountsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ShadowRoute + "/counts")] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadRange(request, gameId, ruleId, out var from, out var to) is { } invalid)
        {
            return invalid;
        }

        var hours = await ShadowReport.HourlyAsync(shadows, gameId, ruleId, from, to, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminHttp.Json(new ShadowCountsResponse(ruleId, from, to, hours), NotificationsAdminJson.Default.ShadowCountsResponse);
    }

    [Function("CompareShadowRule")]
    public async Task<IActionResult> CompareAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ShadowRoute + "/comparison")] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadRange(request, gameId, ruleId, out var from, out var to) is { } invalid)
        {
            return invalid;
        }

        var comparison = await ShadowReport.CompareAsync(shadows, gameId, ruleId, from, to, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminHttp.Json(comparison, NotificationsAdminJson.Default.ShadowComparison);
    }

    private static ObjectResult? ReadRange(HttpRequest request, string gameId, string ruleId, out DateTimeOffset? from, out DateTimeOffset? to)
    {
        (from, to) = (null, null);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        (from, to) = query.TimeRange();
        return query.Errors.Count > 0 ? Problems.BadRequest("The query parameters are not valid.", query.Errors) : null;
    }

    private static ObjectResult? CheckRoute(string gameId, string ruleId) =>
        RouteIds.External(nameof(gameId), gameId) ?? RouteIds.Resource(nameof(ruleId), ruleId);
}
