using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Notifications;
using GameSignals.Stats;

namespace GameSignals.Admin.Notifications;

/// <summary>A notification as the admin API shows it; a stats notification with the peers' statistics it used (<see cref="Explanation"/>).</summary>
public sealed record NotificationView(
    string Id, string RuleId, string GameId, string UserId, string? CharacterId, string EventId, DateTimeOffset Time,
    string Priority, IReadOnlyList<string> Channels, string Locale, string Title, string Body, bool Read, StatsExplanation? Explanation = null)
{
    public static NotificationView From(Notification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.Id, n.RuleId, n.GameId, n.UserId, n.CharacterId, n.EventId, n.Time, n.Priority, n.Channels, n.Locale, n.Title, n.Body, n.Read, n.Explanation);
    }
}

public sealed record InboxResponse(IReadOnlyList<NotificationView> Items, string? Continuation, int UnreadCount);

/// <summary>
/// The body of a dry run: the events, and optionally a rule to try instead of the stored one (validated, never
/// saved), so a rule can be tried before it exists.
/// </summary>
public sealed record RuleTestRequest(IReadOnlyList<JsonElement>? Events, NotificationRule? Rule = null);

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
