using System.Globalization;
using System.Text.Json;
using GameSignals.Events;
using GameSignals.Pipeline;

namespace GameSignals.Functions.Intake;

/// <summary>
/// One trigger invocation's messages with their positions, read from the binding data the host
/// sends beside a batch: <c>PartitionContext</c> (an object with <c>PartitionId</c>) and
/// <c>SystemPropertiesArray</c> (one object per message with <c>SequenceNumber</c>, <c>Offset</c>
/// and <c>EnqueuedTimeUtc</c>), both as JSON text.
/// </summary>
internal sealed record TriggerBatch(string Partition, IReadOnlyList<IncomingMessage> Messages)
{
    public static TriggerBatch Read(string hub, byte[][] bodies, IReadOnlyDictionary<string, object?> bindingData)
    {
        var partition = ReadPartition(Json(bindingData, "PartitionContext"));
        using var systemProperties = JsonDocument.Parse(Json(bindingData, "SystemPropertiesArray"));
        var properties = systemProperties.RootElement;
        if (properties.ValueKind != JsonValueKind.Array || properties.GetArrayLength() != bodies.Length)
        {
            throw new InvalidOperationException(
                $"The trigger sent {bodies.Length} messages but SystemPropertiesArray does not have one entry for each.");
        }

        var messages = new IncomingMessage[bodies.Length];
        var i = 0;
        foreach (var p in properties.EnumerateArray())
        {
            var origin = new MessageOrigin(
                hub,
                partition,
                Property(p, "SequenceNumber").GetInt64(),
                Offset(Property(p, "Offset")),
                EnqueuedTime(p));
            messages[i] = new IncomingMessage(bodies[i], origin);
            i++;
        }

        return new TriggerBatch(partition, messages);
    }

    private static string Json(IReadOnlyDictionary<string, object?> bindingData, string name) =>
        bindingData.TryGetValue(name, out var value) && value is string json
            ? json
            : throw new InvalidOperationException($"The trigger's binding data has no {name}; is the function batched (IsBatched = true)?");

    private static string ReadPartition(string partitionContext)
    {
        using var document = JsonDocument.Parse(partitionContext);
        return Property(document.RootElement, "PartitionId").GetString()
            ?? throw new InvalidOperationException("PartitionContext.PartitionId is null.");
    }

    // The extension writes the offset as a number (long) in some versions and as a string in others.
    private static string Offset(JsonElement offset) =>
        offset.ValueKind == JsonValueKind.Number ? offset.GetRawText() : offset.GetString() ?? "";

    private static DateTimeOffset? EnqueuedTime(JsonElement properties)
    {
        if (!TryProperty(properties, "EnqueuedTimeUtc", out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // Serialized from a UTC DateTime, with or without a zone designator.
        return DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    private static JsonElement Property(JsonElement element, string name) =>
        TryProperty(element, name, out var value) ? value : throw new InvalidOperationException($"The trigger's binding data has no {name}.");

    // Property names compared without case: the host's serializer settings decide their casing.
    private static bool TryProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
