using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

public enum CelKind : byte
{
    /// <summary>A field the event does not have.</summary>
    Missing,

    /// <summary>An evaluation error (wrong operand types, division by zero, integer overflow).</summary>
    Error,
    Null,
    Bool,

    /// <summary>A 64-bit signed integer: an integer literal or a JSON number without fraction or exponent.</summary>
    IntNumber,

    /// <summary>An IEEE double: a literal with a fraction or exponent, or such a JSON number.</summary>
    DoubleNumber,
    Text,

    /// <summary>A JSON object or array from <c>data</c>.</summary>
    Json,
}

/// <summary>
/// One value during evaluation, a struct so evaluating a condition allocates nothing: ints and doubles
/// share one 64-bit field, strings are a .NET string (literals, envelope attributes) or the UTF-8 bytes of
/// the JSON string they came from, read in place; JSON numbers keep their text, objects and arrays their bytes.
/// </summary>
public readonly struct CelValue
{
    /// <summary>A text's forms (in <see cref="_bits"/>): JSON bytes as written, JSON bytes with escapes, or a literal with its UTF-8.</summary>
    private const long JsonText = 0, EscapedJsonText = 1, LiteralText = 2;

    private readonly long _bits;
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _json;

    private CelValue(CelKind kind, long bits = 0, string? text = null, ReadOnlyMemory<byte> json = default)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
        _json = json;
    }

    public static CelValue Missing => default;

    public static CelValue Error => new(CelKind.Error);

    public static CelValue Null => new(CelKind.Null);

    public static CelValue True => new(CelKind.Bool, 1);

    public static CelValue False => new(CelKind.Bool, 0);

    public CelKind Kind { get; }

    public bool IsNotValue => Kind is CelKind.Missing or CelKind.Error;

    public bool IsNumber => Kind is CelKind.IntNumber or CelKind.DoubleNumber;

    public long AsInt => _bits;

    /// <summary>The number as a double: an int converted (the contract's mixing rule), a double as it is.</summary>
    public double AsDouble => Kind == CelKind.IntNumber ? _bits : BitConverter.Int64BitsToDouble(_bits);

    public bool Bool => _bits != 0;

    public static CelValue FromBool(bool value) => value ? True : False;

    public static CelValue FromInt(long value) => new(CelKind.IntNumber, value);

    public static CelValue FromDouble(double value) => new(CelKind.DoubleNumber, BitConverter.DoubleToInt64Bits(value));

    public static CelValue FromString(string value) => new(CelKind.Text, text: value);

    /// <summary>A string literal, with its UTF-8 kept so that comparisons with JSON strings compare bytes (not for a lone surrogate, which UTF-8 cannot hold).</summary>
    internal static CelValue FromLiteral(string value)
    {
        var utf8 = new byte[Encoding.UTF8.GetByteCount(value)];
        return Utf8.FromUtf16(value, utf8, out _, out _, replaceInvalidSequences: false) == OperationStatus.Done
            ? new(CelKind.Text, LiteralText, value, utf8)
            : FromString(value);
    }

    /// <summary>
    /// Wraps a JSON value without copying it. A number without fraction or exponent is an int and must fit
    /// in 64 bits; any other number is a double and must be finite; else the value is an error.
    /// </summary>
    public static CelValue FromJson(in JsonMember member) => member.Kind switch
    {
        JsonTokenType.Number => FromJsonNumber(member.Value),
        JsonTokenType.String => new(CelKind.Text, member.Escaped ? EscapedJsonText : JsonText, json: member.Value),
        JsonTokenType.True => True,
        JsonTokenType.False => False,
        JsonTokenType.Null => Null,
        JsonTokenType.StartObject or JsonTokenType.StartArray => new(CelKind.Json, json: member.Value),
        _ => Missing,
    };

    private static CelValue FromJsonNumber(ReadOnlyMemory<byte> number)
    {
        var raw = number.Span;
        if (JsonNumbers.TryReadInteger(raw, out var small))
        {
            return new(CelKind.IntNumber, small, json: number);
        }

        // An integer with more digits failed above: only a decimal with a fraction is read here.
        if (JsonNumbers.TryReadDouble(raw, out var simple))
        {
            return new(CelKind.DoubleNumber, BitConverter.DoubleToInt64Bits(simple), json: number);
        }

        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            return Utf8Parser.TryParse(raw, out long integer, out var used) && used == raw.Length
                ? new(CelKind.IntNumber, integer, json: number)
                : Error;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? new(CelKind.DoubleNumber, BitConverter.DoubleToInt64Bits(d), json: number)
            : Error;
    }

    /// <summary>The bytes of the JSON object behind this value.</summary>
    internal bool TryGetObject(out ReadOnlyMemory<byte> json) => TryGetJson((byte)'{', out json);

    /// <summary>The bytes of the JSON array behind this value.</summary>
    internal bool TryGetArray(out ReadOnlyMemory<byte> json) => TryGetJson((byte)'[', out json);

    private bool TryGetJson(byte opening, out ReadOnlyMemory<byte> json)
    {
        json = _json;
        return Kind == CelKind.Json && _json.Span[0] == opening;
    }

    /// <summary>Whether <see cref="GetChars"/> may need its scratch space: the text is not a .NET string already.</summary>
    internal bool NeedsScratch => _text is null;

    /// <summary>The string's UTF-8 when it is at hand without decoding: a JSON string without escapes, or a literal.</summary>
    internal bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        utf8 = _json.Span;
        return _bits == LiteralText || (_text is null && _bits == JsonText);
    }

    /// <summary>
    /// The string's characters: a .NET string as it is, a JSON string decoded into <paramref name="scratch"/>
    /// when it has no escapes and fits (the common case), else decoded on the heap.
    /// </summary>
    internal ReadOnlySpan<char> GetChars(Span<char> scratch)
    {
        if (_text is not null)
        {
            return _text;
        }

        return _bits == JsonText && _json.Length <= scratch.Length ? scratch[..Encoding.UTF8.GetChars(_json.Span, scratch)] : JsonString();
    }

    /// <summary>A JSON string's text, its escapes decoded (by a reader over the quoted string: JSON's rules, once).</summary>
    private string JsonString()
    {
        if (_bits == JsonText)
        {
            return Encoding.UTF8.GetString(_json.Span);
        }

        var quoted = new byte[_json.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        _json.Span.CopyTo(quoted.AsSpan(1));
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Appends the value as a template shows it: numbers exactly as written in the JSON.</summary>
    internal void AppendTo(StringBuilder builder)
    {
        switch (Kind)
        {
            case CelKind.Text:
                builder.Append(_text ?? JsonString());
                break;
            case CelKind.IntNumber or CelKind.DoubleNumber when !_json.IsEmpty:
            case CelKind.Json:
                builder.Append(Encoding.UTF8.GetString(_json.Span));
                break;
            case CelKind.IntNumber:
                builder.Append(_bits.ToString(CultureInfo.InvariantCulture));
                break;
            case CelKind.DoubleNumber:
                builder.Append(AsDouble.ToString("R", CultureInfo.InvariantCulture));
                break;
            case CelKind.Bool:
                builder.Append(Bool ? "true" : "false");
                break;
            default:
                break;
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return Kind switch
        {
            CelKind.Missing => "<missing>",
            CelKind.Error => "<error>",
            CelKind.Null => "null",
            _ => builder.ToString(),
        };
    }
}
