using System.Buffers;
using System.Text.Json;

namespace GameSignals.Events;

/// <summary>A decoded event written back as the contract's CloudEvent (§1), which <see cref="EventDecoder"/> reads to an equal event.</summary>
public static class CloudEventJson
{
    public static byte[] Write(GameEvent gameEvent)
    {
        ArgumentNullException.ThrowIfNull(gameEvent);
        var buffer = new ArrayBufferWriter<byte>(256 + gameEvent.DataJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", gameEvent.Id);
            writer.WriteString("source", gameEvent.Source);
            writer.WriteString("type", gameEvent.Type);
            writer.WriteString("time", gameEvent.Time);
            writer.WriteString("gameid", gameEvent.GameId);
            writer.WriteString("userid", gameEvent.UserId);
            if (gameEvent.CharacterId is { } character)
            {
                writer.WriteString("characterid", character);
            }

            if (gameEvent.Server is { } server)
            {
                writer.WriteString("server", server);
            }

            if (!gameEvent.DataJson.IsEmpty)
            {
                writer.WritePropertyName("data");
                writer.WriteRawValue(gameEvent.DataJson.Span, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
