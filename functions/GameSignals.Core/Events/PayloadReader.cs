using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace GameSignals.Events;

/// <summary>
/// Builds the typed payload of a known event type from its <c>data</c> object in the decoder's reader pass,
/// checking the JSON kind of every known field. A field may be absent or null (null in the payload); present
/// with the wrong kind, the event is poison. As with <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>,
/// which rule conditions read the same data with, the last of repeated names wins.
/// </summary>
internal static class PayloadReader
{
    /// <summary>
    /// Reads the object at <paramref name="reader"/> (positioned on its <see cref="JsonTokenType.StartObject"/>) to its
    /// end, repeated values through the decoder's <paramref name="repeated"/>. Returns the payload, or null with
    /// <paramref name="error"/> set, or null for a type the contract does not know.
    /// </summary>
    public static EventPayload? Read(string type, ref Utf8JsonReader reader, bool asciiMessage, RepeatedStrings repeated, out string? error)
    {
        error = null;
        if (!Shapes.TryGetValue(type, out var shape))
        {
            reader.Skip();
            return null;
        }

        var fields = default(Fields);
        var depth = reader.CurrentDepth;
        var index = -1;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            index = shape.IndexOf(ref reader, index + 1);
            reader.Read();
            if (index < 0)
            {
                reader.Skip();
                continue;
            }

            fields[index] = Field.Read(ref reader, shape.Kinds[index], asciiMessage, repeated);
        }

        for (var i = 0; i < shape.Names.Length; i++)
        {
            if (fields[i].Problem(shape.Kinds[i]) is { } problem)
            {
                error = $"data.{shape.Names[i]} {problem}";
                return null;
            }
        }

        return shape.Build(fields);
    }

    /// <summary>Reads the data object of an event whose type came after its data (the one-pass read could not know it), or that has none.</summary>
    public static EventPayload? Read(string type, ReadOnlySpan<byte> data, bool asciiMessage, RepeatedStrings repeated, out string? error)
    {
        if (data.IsEmpty)
        {
            // No data (or null): a known type's payload has every field absent.
            error = null;
            return Shapes.TryGetValue(type, out var shape) ? shape.Build(default) : null;
        }

        var reader = new Utf8JsonReader(data);
        reader.Read();
        return Read(type, ref reader, asciiMessage, repeated, out error);
    }

    /// <summary>
    /// The string token at the reader. In a message known to be ASCII an unescaped string is widened byte by byte,
    /// without UTF-8's passes to count and then transcode.
    /// </summary>
    public static string ReadString(ref Utf8JsonReader reader, bool asciiMessage) =>
        asciiMessage && !reader.ValueIsEscaped ? Encoding.ASCII.GetString(reader.ValueSpan) : reader.GetString()!;

    private static readonly FrozenDictionary<string, Shape> Shapes = new Dictionary<string, Shape>(StringComparer.Ordinal)
    {
        [EventTypes.SessionStarted] = new(
            [("ip", FieldKind.Text), ("deviceId", FieldKind.Text), ("platform", FieldKind.RepeatedText), ("clientVersion", FieldKind.RepeatedText),
             ("clientSignature", FieldKind.RepeatedText), ("locale", FieldKind.RepeatedText), ("accountCountry", FieldKind.RepeatedText)],
            (in f) => new SessionStarted(f.Text(0), f.Text(1), f.Text(2), f.Text(3), f.Text(4), f.Text(5), f.Text(6))),
        [EventTypes.SessionEnded] = new([("durationSeconds", FieldKind.Number)], (in f) => new SessionEnded(f.Number(0))),
        [EventTypes.HpChanged] = new(
            [("hp", FieldKind.Number), ("maxHp", FieldKind.Number), ("autoBattle", FieldKind.Flag), ("inCombat", FieldKind.Flag), ("zone", FieldKind.RepeatedText)],
            (in f) => new HpChanged(f.Number(0), f.Number(1), f.Flag(2), f.Flag(3), f.Text(4))),
        [EventTypes.CharacterDied] = new([("zone", FieldKind.RepeatedText), ("cause", FieldKind.RepeatedText)], (in f) => new CharacterDied(f.Text(0), f.Text(1))),
        [EventTypes.LevelUp] = new([("level", FieldKind.Number)], (in f) => new LevelUp(f.Number(0))),
        [EventTypes.PvpMatchEnded] = new([("result", FieldKind.RepeatedText), ("rating", FieldKind.Number)], (in f) => new PvpMatchEnded(f.Text(0), f.Number(1))),
        [EventTypes.DungeonCleared] = new(
            [("dungeonId", FieldKind.RepeatedText), ("difficulty", FieldKind.Number), ("durationSeconds", FieldKind.Number)],
            (in f) => new DungeonCleared(f.Text(0), f.Number(1), f.Number(2))),
        [EventTypes.QuestCompleted] = new([("questId", FieldKind.RepeatedText), ("main", FieldKind.Flag)], (in f) => new QuestCompleted(f.Text(0), f.Flag(1))),
        [EventTypes.ItemSold] = new(
            [("itemId", FieldKind.RepeatedText), ("itemName", FieldKind.RepeatedText), ("quantity", FieldKind.Number), ("price", FieldKind.Number)],
            (in f) => new ItemSold(f.Text(0), f.Text(1), f.Number(2), f.Number(3))),
        [EventTypes.InventoryFull] = new([], (in _) => new InventoryFull()),
        [EventTypes.AutoBattleStopped] = new([("reason", FieldKind.RepeatedText)], (in f) => new AutoBattleStopped(f.Text(0))),
        [EventTypes.PurchaseCompleted] = new(
            [("orderId", FieldKind.Text), ("store", FieldKind.RepeatedText), ("productId", FieldKind.RepeatedText), ("price", FieldKind.Decimal),
             ("currency", FieldKind.RepeatedText), ("storeCountry", FieldKind.RepeatedText), ("ip", FieldKind.Text), ("receipt", FieldKind.Object)],
            (in f) => new PurchaseCompleted(f.Text(0), f.Text(1), f.Text(2), f.Decimal(3), f.Text(4), f.Text(5), f.Text(6), f.Object(7))),
        [EventTypes.PurchaseRefunded] = new(
            [("orderId", FieldKind.Text), ("store", FieldKind.RepeatedText), ("reason", FieldKind.RepeatedText)],
            (in f) => new PurchaseRefunded(f.Text(0), f.Text(1), f.Text(2))),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// A field's JSON kind; <see cref="RepeatedText"/> is text whose values come from a small set (platforms, locales, zones,
    /// items), read through this thread's <see cref="RepeatedStrings"/>; <see cref="Text"/> is text that rarely repeats
    /// (addresses, devices, orders), read afresh.
    /// </summary>
    private enum FieldKind : byte { Text, RepeatedText, Number, Decimal, Flag, Object }

    private delegate EventPayload Builder(in Fields fields);

    private sealed class Shape
    {
        private readonly byte[][] _utf8Names;

        public Shape((string Name, FieldKind Kind)[] fields, Builder build)
        {
            Names = [.. fields.Select(f => f.Name)];
            Kinds = [.. fields.Select(f => f.Kind)];
            _utf8Names = [.. Names.Select(Encoding.UTF8.GetBytes)];
            Build = build;
        }

        public string[] Names { get; }

        public FieldKind[] Kinds { get; }

        public Builder Build { get; }

        /// <summary>
        /// The index of the known field named at the reader, or -1. The search starts at <paramref name="likely"/>, the
        /// field after the previous one: producers mostly write the fields in the contract's order.
        /// </summary>
        public int IndexOf(ref Utf8JsonReader reader, int likely)
        {
            for (var n = 0; n < _utf8Names.Length; n++)
            {
                var i = (likely + n) % _utf8Names.Length;
                if (reader.ValueTextEquals(_utf8Names[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// One known field as read: <see cref="Kind"/> is <see cref="JsonValueKind.Undefined"/> when absent or null;
    /// <see cref="Value"/> holds a string, a price's decimal or the receipt's element; <see cref="Fits"/> is false
    /// for a number beyond double's range (or decimal's, for a price). Small, as eight of them are copied per event.
    /// </summary>
    private readonly record struct Field(JsonValueKind Kind, bool Fits, object? Value, double Number)
    {
        public static Field Read(ref Utf8JsonReader reader, FieldKind wanted, bool asciiMessage, RepeatedStrings repeated)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = wanted switch
                    {
                        FieldKind.Text => ReadString(ref reader, asciiMessage),
                        FieldKind.RepeatedText => repeated.Read(ref reader, asciiMessage),
                        _ => null,
                    };
                    return new Field(JsonValueKind.String, true, text, 0);
                case JsonTokenType.Number when wanted == FieldKind.Decimal:
                    var fitsDecimal = reader.TryGetDecimal(out var price);
                    return new Field(JsonValueKind.Number, fitsDecimal, fitsDecimal ? price : null, 0);
                case JsonTokenType.Number:
                    var fits = JsonNumbers.TryReadDouble(reader.ValueSpan, out var number) || (reader.TryGetDouble(out number) && double.IsFinite(number));
                    return new Field(JsonValueKind.Number, fits, null, number);
                case JsonTokenType.True or JsonTokenType.False:
                    return new Field(reader.TokenType == JsonTokenType.True ? JsonValueKind.True : JsonValueKind.False, true, null, 0);
                case JsonTokenType.StartObject when wanted == FieldKind.Object:
                    // Kept as JSON (its shape depends on the store); ParseValue copies it, so the event owns it.
                    return new Field(JsonValueKind.Object, true, JsonElement.ParseValue(ref reader), 0);
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var kind = reader.TokenType == JsonTokenType.StartObject ? JsonValueKind.Object : JsonValueKind.Array;
                    reader.Skip();
                    return new Field(kind, true, null, 0);
                default:
                    return default;
            }
        }

        /// <summary>What is wrong with the field for a wanted kind, or null when it is absent or right.</summary>
        public string? Problem(FieldKind wanted)
        {
            if (Kind == JsonValueKind.Undefined)
            {
                return null;
            }

            var (kindRight, expected) = wanted switch
            {
                FieldKind.Text or FieldKind.RepeatedText => (Kind == JsonValueKind.String, "a string"),
                FieldKind.Flag => (Kind is JsonValueKind.True or JsonValueKind.False, "a boolean"),
                FieldKind.Object => (Kind == JsonValueKind.Object, "an object"),
                _ => (Kind == JsonValueKind.Number, "a number"),
            };
            if (!kindRight)
            {
                return $"must be {expected}, was {Kind}";
            }

            return Fits ? null : wanted == FieldKind.Decimal ? "is out of the decimal range" : "is out of the number range";
        }
    }

    [InlineArray(8)]
    private struct Fields
    {
        private Field _first;

        public readonly string? Text(int i) => this[i].Value as string;

        public readonly double? Number(int i) => this[i].Kind == JsonValueKind.Undefined ? null : this[i].Number;

        public readonly decimal? Decimal(int i) => this[i].Value as decimal?;

        public readonly bool? Flag(int i) => this[i].Kind == JsonValueKind.Undefined ? null : this[i].Kind == JsonValueKind.True;

        public readonly JsonElement Object(int i) => this[i].Value is JsonElement element ? element : default;
    }
}
