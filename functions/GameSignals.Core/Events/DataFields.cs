using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GameSignals.Events;

/// <summary>
/// One member of a JSON object or element of an array, as its bytes: <see cref="Name"/> is the member's name
/// (unescaped; empty for an array element), <see cref="Value"/> the value as written: a string without its quotes
/// (escapes left in, <see cref="Escaped"/> says so), a number, a literal, or a whole object or array.
/// </summary>
public readonly record struct JsonMember(ReadOnlyMemory<byte> Name, JsonTokenType Kind, ReadOnlyMemory<byte> Value, bool Escaped);

/// <summary>
/// The top-level fields of an event's <c>data</c>, found in one scan the first time a rule condition or
/// template asks for one (<see cref="GameEvent.Fields"/>): conditions then find a field by name in a small array,
/// without building a document, and read its value in place. Nested objects and arrays are scanned with
/// <see cref="JsonItems"/> when a condition goes into them.
/// </summary>
public sealed class DataFields
{
    private readonly byte[] _bytes;
    private readonly Field[] _fields;
    private readonly int _count;

    private DataFields(ReadOnlyMemory<byte> json, byte[] bytes, Field[] fields, int count)
    {
        Json = json;
        _bytes = bytes;
        _fields = fields;
        _count = count;
    }

    /// <summary>The whole <c>data</c> object.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>
    /// Reads the object in <paramref name="json"/>, which the decoder already checked to be well-formed JSON: so a plain
    /// scan for each member's boundaries is enough (quotes, brackets, commas), without a reader's validation.
    /// </summary>
    public static DataFields Read(ReadOnlyMemory<byte> json)
    {
        // Offsets into the message's array (a copy only for memory that is not an array's), so a lookup compares plain spans.
        var (bytes, offset) = MemoryMarshal.TryGetArray(json, out var segment) ? (segment.Array!, segment.Offset) : (json.ToArray(), 0);
        var span = json.Span;

        // One array, sized for the contract's events (at most eight fields) and grown past it; not trimmed, as a copy costs more than the slack.
        var fields = new Field[8];
        var count = 0;
        var i = SkipWhitespace(span, 1);
        while (span[i] == '"')
        {
            var nameEnd = StringEnd(span, i + 1, out var nameEscaped);
            var name = new Field(offset + i + 1, nameEnd - i - 1, nameEscaped);
            var start = SkipWhitespace(span, SkipWhitespace(span, nameEnd + 1) + 1);
            var (kind, end, escaped) = span[start] switch
            {
                (byte)'"' => (JsonTokenType.String, StringEnd(span, start + 1, out var stringEscaped) + 1, stringEscaped),
                (byte)'{' => (JsonTokenType.StartObject, ContainerEnd(span, start), false),
                (byte)'[' => (JsonTokenType.StartArray, ContainerEnd(span, start), false),
                (byte)'t' => (JsonTokenType.True, start + 4, false),
                (byte)'f' => (JsonTokenType.False, start + 5, false),
                (byte)'n' => (JsonTokenType.Null, start + 4, false),
                _ => (JsonTokenType.Number, NumberEnd(span, start), false),
            };

            if (count == fields.Length)
            {
                Array.Resize(ref fields, count * 2);
            }

            // A string's value lies inside its quotes, as the reader's ValueSpan.
            var (valueStart, valueLength) = kind == JsonTokenType.String ? (start + 1, end - start - 2) : (start, end - start);
            fields[count++] = name with { Kind = kind, ValueStart = offset + valueStart, ValueLength = valueLength, ValueEscaped = escaped };
            i = SkipWhitespace(span, end);
            if (span[i] == ',')
            {
                i = SkipWhitespace(span, i + 1);
            }
        }

        return new DataFields(json, bytes, fields, count);
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    /// <summary>The index of the closing quote of the string whose first character is at <paramref name="start"/>.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int start, out bool escaped)
    {
        // A plain loop: data's strings are short, shorter than a vectorised search pays for.
        escaped = false;
        var i = start;
        while (json[i] != '"')
        {
            if (json[i] == '\\')
            {
                // The backslash and the character it escapes (the hex digits of a \u escape cannot be a quote or a backslash).
                escaped = true;
                i++;
            }

            i++;
        }

        return i;
    }

    /// <summary>The index just past the object or array opening at <paramref name="start"/>.</summary>
    private static int ContainerEnd(ReadOnlySpan<byte> json, int start)
    {
        var depth = 0;
        for (var i = start; ; i++)
        {
            switch (json[i])
            {
                case (byte)'"':
                    i = StringEnd(json, i + 1, out _);
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }
    }

    /// <summary>The index just past the number starting at <paramref name="start"/>.</summary>
    private static int NumberEnd(ReadOnlySpan<byte> json, int start)
    {
        var i = start;
        while (i < json.Length && json[i] is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')
        {
            i++;
        }

        return i;
    }

    /// <summary>The field named <paramref name="name"/> (UTF-8); of repeated names the last, as JSON readers commonly take.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out JsonMember field)
    {
        var index = IndexOf(name);
        if (index < 0)
        {
            field = default;
            return false;
        }

        ref readonly var f = ref _fields[index];
        field = new JsonMember(default, f.Kind, new ReadOnlyMemory<byte>(_bytes, f.ValueStart, f.ValueLength), f.ValueEscaped);
        return true;
    }

    /// <summary>
    /// The index of the field named <paramref name="name"/> (the last of repeated names), or -1: with
    /// <see cref="KindAt"/>, <see cref="ValueAt"/> and <see cref="IsEscapedAt"/>, a field read without building a <see cref="JsonMember"/>.
    /// </summary>
    public int IndexOf(ReadOnlySpan<byte> name)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            ref readonly var f = ref _fields[i];
            if (f.NameEscaped ? EscapedNameEquals(f, name) : f.NameLength == name.Length && _bytes.AsSpan(f.NameStart, f.NameLength).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The JSON kind of the field at <paramref name="index"/> (from <see cref="IndexOf"/>).</summary>
    public JsonTokenType KindAt(int index) => _fields[index].Kind;

    /// <summary>The value of the field at <paramref name="index"/> as <see cref="JsonMember.Value"/> holds it.</summary>
    public ReadOnlySpan<byte> ValueAt(int index) => _bytes.AsSpan(_fields[index].ValueStart, _fields[index].ValueLength);

    /// <summary>Whether the field at <paramref name="index"/> is a string with escapes.</summary>
    public bool IsEscapedAt(int index) => _fields[index].ValueEscaped;

    /// <summary>An escaped name (rare) compared by a reader over it with its quotes: JSON's unescaping, no copy.</summary>
    private bool EscapedNameEquals(in Field field, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(_bytes.AsSpan(field.NameStart - 1, field.NameLength + 2));
        reader.Read();
        return reader.ValueTextEquals(name);
    }

    /// <summary>The member named <paramref name="name"/> of the object in <paramref name="objectJson"/>, the last of repeated names.</summary>
    public static bool TryFind(ReadOnlyMemory<byte> objectJson, ReadOnlySpan<byte> name, out JsonMember member)
    {
        member = default;
        var found = false;
        var items = new JsonItems(objectJson);
        while (items.MoveNext())
        {
            if (items.Current.Name.Span.SequenceEqual(name))
            {
                (member, found) = (items.Current, true);
            }
        }

        return found;
    }

    /// <summary>A field as offsets into the message's bytes: its name (quotes excluded) and its value as <see cref="JsonMember"/> holds it.</summary>
    private readonly record struct Field(int NameStart, int NameLength, bool NameEscaped)
    {
        public JsonTokenType Kind { get; init; }

        public int ValueStart { get; init; }

        public int ValueLength { get; init; }

        public bool ValueEscaped { get; init; }
    }
}

/// <summary>
/// The members of a JSON object or the elements of an array, read one at a time from its bytes without allocating
/// (an escaped member name, rare, is unescaped into a new array).
/// </summary>
public ref struct JsonItems
{
    private readonly ReadOnlyMemory<byte> _json;
    private Utf8JsonReader _reader;

    /// <summary>Over the object or array in <paramref name="json"/>.</summary>
    public JsonItems(ReadOnlyMemory<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json.Span);
        _reader.Read();
    }

    public JsonMember Current { get; private set; }

    public bool MoveNext()
    {
        if (!_reader.Read() || _reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
        {
            return false;
        }

        ReadOnlyMemory<byte> name = default;
        if (_reader.TokenType == JsonTokenType.PropertyName)
        {
            name = _reader.ValueIsEscaped
                ? Encoding.UTF8.GetBytes(_reader.GetString()!)
                : _json.Slice((int)_reader.TokenStartIndex + 1, _reader.ValueSpan.Length);
            _reader.Read();
        }

        var kind = _reader.TokenType;
        var start = (int)_reader.TokenStartIndex;
        switch (kind)
        {
            case JsonTokenType.String:
                Current = new JsonMember(name, kind, _json.Slice(start + 1, _reader.ValueSpan.Length), _reader.ValueIsEscaped);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                _reader.Skip();
                Current = new JsonMember(name, kind, _json[start..(int)_reader.BytesConsumed], false);
                break;
            default:
                Current = new JsonMember(name, kind, _json.Slice(start, _reader.ValueSpan.Length), false);
                break;
        }

        return true;
    }
}
