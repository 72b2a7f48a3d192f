using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using GameSignals.Functions.Http;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Notifications;

/// <summary>Route value checks and JSON answers shared by the notification admin functions.</summary>
internal static partial class AdminHttp
{
    /// <summary>Null when <paramref name="value"/> is a valid game or rule id (it becomes a Cosmos id and a key), else the problem.</summary>
    public static IActionResult? CheckId(string name, string? value) =>
        value is not null && IdPattern().IsMatch(value)
            ? null
            : Problems.BadRequest($"The route value {name} is not valid.", Errors(name, "1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit"));

    /// <summary>User ids come from events: anything printable a Cosmos partition key takes.</summary>
    public static IActionResult? CheckUserId(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 255 && !value.Any(c => char.IsControl(c) || c is '/' or '\\' or '?' or '#')
            ? null
            : Problems.BadRequest("The route value userId is not valid.", Errors("userId", "1 to 255 characters, none of them a control character, '/', '\\', '?' or '#'"));

    public static Dictionary<string, string[]> Errors(string field, string message) => new(StringComparer.Ordinal) { [field] = [message] };

    public static ContentResult Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK) =>
        new() { Content = JsonSerializer.Serialize(value, typeInfo), ContentType = "application/json; charset=utf-8", StatusCode = status };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
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
