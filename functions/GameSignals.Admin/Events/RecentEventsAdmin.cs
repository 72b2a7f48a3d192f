using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Admin.Http;
using GameSignals.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Events;

/// <summary>
/// A player's last events (<see cref="IRecentEvents"/>) as the CloudEvents they came as, oldest first: what the
/// console's rule dry run runs against. A player with no recent event has an empty list.
/// </summary>
public sealed class RecentEventsAdmin(IRecentEvents recent)
{
    public async Task<IActionResult> ListAsync(HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId)) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var limit = query.WholeNumber("limit", IRecentEvents.DefaultLimit, 1, IRecentEvents.MaxLimit);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        var events = await recent.ListAsync(gameId, userId, limit, request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var response = new RecentEventsResponse(userId, [.. events.Select(e => JsonSerializer.Deserialize(CloudEventJson.Write(e), RecentEventsJson.Default.JsonElement))]);
        return AdminJson.Write(response, RecentEventsJson.Default.RecentEventsResponse);
    }
}

/// <summary>The player's last events, oldest first, as CloudEvents (contract §1).</summary>
public sealed record RecentEventsResponse(string UserId, IReadOnlyList<JsonElement> Events);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecentEventsResponse))]
internal sealed partial class RecentEventsJson : JsonSerializerContext;
