using System.Text.Json;
using GameSignals.Fraud;

namespace GameSignals.Cli.Replay.Outputs;

/// <summary><c>flags.jsonl</c>: <c>id, reason, severity, gameId, userId, eventId, time, evidence</c> (contract §6), in event-time order.</summary>
internal sealed class FlagsOutput(InMemoryFlagStore flags) : JsonLinesOutput<FraudFlag>(OutputFile)
{
    public const string OutputFile = "flags.jsonl";

    protected override IEnumerable<FraudFlag> Rows() =>
        flags.All.OrderBy(f => f.Time).ThenBy(f => f.EventId, StringComparer.Ordinal).ThenBy(f => f.Reason, StringComparer.Ordinal);

    protected override void WriteRow(Utf8JsonWriter writer, FraudFlag row)
    {
        writer.WriteStartObject();
        writer.WriteString("id", row.Id);
        writer.WriteString("reason", row.Reason);
        writer.WriteString("severity", row.Severity == FlagSeverity.Block ? "block" : "review");
        writer.WriteString("gameId", row.GameId);
        writer.WriteString("userId", row.UserId);
        writer.WriteString("eventId", row.EventId);
        writer.WriteString("time", row.Time);
        writer.WritePropertyName("evidence");
        row.Evidence.WriteTo(writer);
        writer.WriteEndObject();
    }
}
