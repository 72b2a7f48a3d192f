using GameSignals.Admin.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Notifications;

/// <summary>
/// What a shadow rule would have done, as evidence for promoting it: its would-be notifications, their counts per
/// hour, and, for a candidate, the comparison with the active rule it names over the same events. All between
/// optional <c>from</c> and <c>to</c> (event time, <c>[from, to)</c>). The records outlive the rule (a promoted
/// candidate is deleted), so a rule id without records answers empty, not 404.
/// </summary>
public sealed class ShadowRulesAdmin(IShadowNotificationStore shadows)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<IActionResult> ListAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var (from, to) = query.TimeRange();
        var paging = query.Paging(DefaultPageSize, MaxPageSize);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        ShadowPage page;
        try
        {
            page = await shadows.ListNotificationsAsync(new ShadowQuery(gameId, ruleId, from, to, paging.PageSize, paging.Continuation), request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (paging.Continuation is not null)
        {
            return QueryParameters.InvalidContinuation();
        }

        var response = new ShadowNotificationsResponse([.. page.Items.Select(NotificationView.From)], page.ContinuationToken);
        return AdminJson.Write(response, NotificationsAdminJson.Default.ShadowNotificationsResponse);
    }

    public async Task<IActionResult> CountsAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadRange(request, gameId, ruleId, out var from, out var to) is { } invalid)
        {
            return invalid;
        }

        var hours = await ShadowReport.HourlyAsync(shadows, gameId, ruleId, from, to, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminJson.Write(new ShadowCountsResponse(ruleId, from, to, hours), NotificationsAdminJson.Default.ShadowCountsResponse);
    }

    public async Task<IActionResult> CompareAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadRange(request, gameId, ruleId, out var from, out var to) is { } invalid)
        {
            return invalid;
        }

        var comparison = await ShadowReport.CompareAsync(shadows, gameId, ruleId, from, to, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminJson.Write(comparison, NotificationsAdminJson.Default.ShadowComparison);
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
        return query.Problem();
    }

    private static ObjectResult? CheckRoute(string gameId, string ruleId) =>
        RouteIds.External(nameof(gameId), gameId) ?? RouteIds.Resource(nameof(ruleId), ruleId);
}
