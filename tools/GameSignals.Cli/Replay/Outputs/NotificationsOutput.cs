using System.Text.Json;
using GameSignals.Notifications;

namespace GameSignals.Cli.Replay.Outputs;

/// <summary><c>notifications.jsonl</c>: the contract's notification fields (§6), in event-time order.</summary>
internal sealed class NotificationsOutput(InMemoryNotificationStore notifications) : JsonLinesOutput<Notification>(OutputFile)
{
    public const string OutputFile = "notifications.jsonl";

    protected override IEnumerable<Notification> Rows() =>
        notifications.All.OrderBy(n => n.Time).ThenBy(n => n.EventId, StringComparer.Ordinal).ThenBy(n => n.RuleId, StringComparer.Ordinal);

    protected override void WriteRow(Utf8JsonWriter writer, Notification row) => row.WriteReplayLine(writer);
}

/// <summary>
/// <c>shadow-notifications.jsonl</c>: what shadow rules would have sent, with the fields and order of
/// <c>notifications.jsonl</c> (the rule id is the shadow rule's).
/// </summary>
internal sealed class ShadowNotificationsOutput(InMemoryShadowNotificationStore shadows) : JsonLinesOutput<Notification>(OutputFile)
{
    public const string OutputFile = "shadow-notifications.jsonl";

    protected override IEnumerable<Notification> Rows() =>
        shadows.All.Where(r => r.Notification is not null).Select(r => r.Notification!)
            .OrderBy(n => n.Time).ThenBy(n => n.EventId, StringComparer.Ordinal).ThenBy(n => n.RuleId, StringComparer.Ordinal);

    protected override void WriteRow(Utf8JsonWriter writer, Notification row) => row.WriteReplayLine(writer);
}
