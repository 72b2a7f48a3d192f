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
