using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Notifications;

/// <summary>JSON answers shared by the notification admin functions.</summary>
internal static class AdminHttp
{
    public static Dictionary<string, string[]> Errors(string field, string message) => new(StringComparer.Ordinal) { [field] = [message] };

    public static ContentResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK) =>
        new() { Content = JsonSerializer.Serialize(value, typeInfo), ContentType = "application/json; charset=utf-8", StatusCode = status };

}

/// <summary>A notification as the admin API shows it.</summary>
public sealed record NotificationView(
    string Id, string RuleId, string GameId, string UserId, string? CharacterId, string EventId, DateTimeOffset Time,
    string Priority, IReadOnlyList<string> Channels, string Locale, string Title, string Body, bool Read)
{
    public static NotificationView From(Notification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.Id, n.RuleId, n.GameId, n.UserId, n.CharacterId, n.EventId, n.Time, n.Priority, n.Channels, n.Locale, n.Title, n.Body, n.Read);
    }
}

public sealed record InboxResponse(IReadOnlyList<NotificationView> Items, string? Continuation, int UnreadCount);

public sealed record RuleTestRequest(IReadOnlyList<JsonElement>? Events);

/// <summary>What one test event would do: <c>outcome</c> is match, no_match, missing_field, error, other_type or suppressed (cooldown).</summary>
public sealed record RuleTestResult(string EventId, string Outcome, NotificationView? Notification);

public sealed record RuleTestResponse(string RuleId, IReadOnlyList<RuleTestResult> Results);

public sealed record ShadowNotificationsResponse(IReadOnlyList<NotificationView> Items, string? Continuation);

public sealed record ShadowCountsResponse(string RuleId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<ShadowHourCount> Hours);

public sealed record RuleHistoryResponse(IReadOnlyList<RuleChange> Items, string? Continuation);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InboxResponse))]
[JsonSerializable(typeof(ShadowNotificationsResponse))]
[JsonSerializable(typeof(ShadowCountsResponse))]
[JsonSerializable(typeof(ShadowComparison))]
[JsonSerializable(typeof(RuleHistoryResponse))]
[JsonSerializable(typeof(RuleTestRequest))]
[JsonSerializable(typeof(RuleTestResponse))]
internal sealed partial class NotificationsAdminJson : JsonSerializerContext;
