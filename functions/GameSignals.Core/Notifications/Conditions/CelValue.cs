using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GameSignals.Notifications.Conditions;

public enum CelKind : byte
{
    /// <summary>A field the event does not have.</summary>
    Missing,

    /// <summary>An evaluation error (wrong operand types, division by zero).</summary>
    Error,
    Null,
    Bool,
    Number,
    Text,

    /// <summary>A JSON object or array from <c>data</c>.</summary>
    Json,
}

/// <summary>
/// One value during evaluation, a struct so evaluating a condition allocates nothing: numbers are
/// doubles (JSON ints and decimals mix freely), strings are either a .NET string (literals,
/// envelope attributes) or the JSON element they came from, read in place.
/// </summary>
public readonly struct CelValue
{
    private readonly double _number;
    private readonly string? _text;
    private readonly JsonElement _json;

    private CelValue(CelKind kind, double number = 0, string? text = null, JsonElement json = default)
    {
        Kind = kind;
        _number = number;
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

    public double Number => _number;

    public bool Bool => _number != 0;

    public static CelValue FromBool(bool value) => value ? True : False;

    public static CelValue FromNumber(double value) => new(CelKind.Number, value);

    public static CelValue FromString(string value) => new(CelKind.Text, text: value);

    /// <summary>Wraps a JSON value without copying it; a number that no double holds is an error.</summary>
    public static CelValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.TryGetDouble(out var d) && double.IsFinite(d) ? new(CelKind.Number, d, json: element) : Error,
        JsonValueKind.String => new(CelKind.Text, json: element),
        JsonValueKind.True => new(CelKind.Bool, 1, json: element),
        JsonValueKind.False => new(CelKind.Bool, 0, json: element),
        JsonValueKind.Null => new(CelKind.Null, json: element),
        JsonValueKind.Object or JsonValueKind.Array => new(CelKind.Json, json: element),
        _ => Missing,
    };

    /// <summary>The JSON array behind this value, for <c>x in data.list</c>.</summary>
    internal bool TryGetArray(out JsonElement array)
    {
        array = _json;
        return Kind == CelKind.Json && _json.ValueKind == JsonValueKind.Array;
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
            case CelKind.Number when _json.ValueKind == JsonValueKind.Number:
                builder.Append(_json.GetRawText());
                break;
            case CelKind.Number:
                builder.Append(_number.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
