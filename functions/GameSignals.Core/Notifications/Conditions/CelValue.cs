using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

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
/// share one 64-bit field, strings are either a .NET string (literals, envelope attributes) or the
/// JSON element they came from, read in place.
/// </summary>
public readonly struct CelValue
{
    private readonly long _bits;
    private readonly string? _text;
    private readonly JsonElement _json;

    private CelValue(CelKind kind, long bits = 0, string? text = null, JsonElement json = default)
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

    /// <summary>
    /// Wraps a JSON value without copying it. A number without fraction or exponent is an int and must fit
    /// in 64 bits; any other number is a double and must be finite; else the value is an error.
    /// </summary>
    public static CelValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => FromJsonNumber(element),
        JsonValueKind.String => new(CelKind.Text, json: element),
        JsonValueKind.True => new(CelKind.Bool, 1, json: element),
        JsonValueKind.False => new(CelKind.Bool, 0, json: element),
        JsonValueKind.Null => new(CelKind.Null, json: element),
        JsonValueKind.Object or JsonValueKind.Array => new(CelKind.Json, json: element),
        _ => Missing,
    };

    private static CelValue FromJsonNumber(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            return Utf8Parser.TryParse(raw, out long integer, out var used) && used == raw.Length
                ? new(CelKind.IntNumber, integer, json: element)
                : Error;
        }

        return element.TryGetDouble(out var d) && double.IsFinite(d) ? new(CelKind.DoubleNumber, BitConverter.DoubleToInt64Bits(d), json: element) : Error;
    }

    /// <summary>The JSON object or array behind this value.</summary>
    internal bool TryGetJson(JsonValueKind kind, out JsonElement element)
    {
        element = _json;
        return Kind == CelKind.Json && _json.ValueKind == kind;
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

        var raw = JsonMarshal.GetRawUtf8Value(_json);
        var inner = raw[1..^1];
        if (inner.IndexOf((byte)'\\') < 0 && inner.Length <= scratch.Length)
        {
            return scratch[..Encoding.UTF8.GetChars(inner, scratch)];
        }

        return _json.GetString();
    }

    /// <summary>Appends the value as a template shows it: numbers exactly as written in the JSON.</summary>
    internal void AppendTo(StringBuilder builder)
    {
        switch (Kind)
        {
            case CelKind.Text:
                builder.Append(_text ?? _json.GetString());
                break;
            case CelKind.IntNumber or CelKind.DoubleNumber when _json.ValueKind == JsonValueKind.Number:
                builder.Append(_json.GetRawText());
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
            case CelKind.Json:
                builder.Append(_json.GetRawText());
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
