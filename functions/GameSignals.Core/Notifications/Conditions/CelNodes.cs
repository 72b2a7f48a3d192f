using System.Text;
using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>A compiled expression node. Evaluation returns a struct and never throws on content.</summary>
internal abstract class CelNode
{
    public abstract CelValue Evaluate(GameEvent e);

    /// <summary>The value as a <see cref="Truth"/>: what a condition and the logical operators need of an operand.</summary>
    public virtual Truth Test(GameEvent e) => Truths.Of(Evaluate(e));

    /// <summary>
    /// The value when it is a number this node gives without building a <see cref="CelValue"/> (a data field written as a
    /// short number, a literal, arithmetic on them); false for anything else, or an error, which <see cref="Evaluate"/> tells.
    /// </summary>
    public virtual bool TryNumber(GameEvent e, out CelNumber number)
    {
        number = default;
        return false;
    }
}

/// <summary>A number as <see cref="CelNode.TryNumber"/> gives it: an int, or a double.</summary>
internal readonly record struct CelNumber(bool IsInt, long Int, double Double)
{
    /// <summary>The number as a double: an int converted (the contract's mixing rule).</summary>
    public double AsDouble => IsInt ? Int : Double;

    public static CelNumber Of(long value) => new(true, value, 0);

    public static CelNumber Of(double value) => new(false, 0, value);
}

/// <summary>
/// A node whose value is a bool, or missing, or an error (comparisons, logic, functions): it computes the one-byte
/// <see cref="Truth"/>, so a condition of such nodes passes no <see cref="CelValue"/> between them.
/// </summary>
internal abstract class BoolNode : CelNode
{
    public sealed override CelValue Evaluate(GameEvent e) => Test(e).ToValue();

    public abstract override Truth Test(GameEvent e);
}

/// <summary>A bool node's outcome: true, false, or why there is no bool (a missing field first, as the metric counts it).</summary>
internal enum Truth : byte
{
    False,
    True,
    Missing,
    Error,
}

internal static class Truths
{
    public static Truth Of(in CelValue value) => value.Kind switch
    {
        CelKind.Bool => value.Bool ? Truth.True : Truth.False,
        CelKind.Missing => Truth.Missing,
        _ => Truth.Error,
    };

    public static Truth From(bool value) => value ? Truth.True : Truth.False;

    /// <summary>An operation on <paramref name="l"/> and <paramref name="r"/> that cannot proceed: missing before other errors.</summary>
    public static Truth Failure(in CelValue l, in CelValue r) =>
        l.Kind == CelKind.Missing || r.Kind == CelKind.Missing ? Truth.Missing : Truth.Error;

    public static CelValue ToValue(this Truth truth) => truth switch
    {
        Truth.True => CelValue.True,
        Truth.False => CelValue.False,
        Truth.Missing => CelValue.Missing,
        _ => CelValue.Error,
    };
}

internal sealed class ConstantNode(CelValue value) : CelNode
{
    /// <summary>The constant, which fused nodes and lists of literals take as it is when compiled.</summary>
    public readonly CelValue Value = value;

    private readonly CelNumber _number = value.Kind == CelKind.IntNumber ? CelNumber.Of(value.AsInt) : CelNumber.Of(value.AsDouble);

    public override CelValue Evaluate(GameEvent e) => Value;

    public override bool TryNumber(GameEvent e, out CelNumber number)
    {
        number = _number;
        return Value.IsNumber;
    }
}

internal sealed class EnvelopeNode(Func<GameEvent, string?> read) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => read(e) is { } text ? CelValue.FromString(text) : CelValue.Missing;
}

/// <summary><c>data.x</c>, the usual path: one field of data, as <see cref="DataPathNode"/> finds it, without its walk.</summary>
internal sealed class FieldNode(byte[] name) : CelNode
{
    /// <summary>The field's name in UTF-8.</summary>
    public byte[] Name { get; } = name;

    public override CelValue Evaluate(GameEvent e) =>
        e.Fields is { } fields && fields.TryGet(Name, out var member) ? CelValue.FromJson(member) : CelValue.Missing;

    public override bool TryNumber(GameEvent e, out CelNumber number)
    {
        number = default;
        return FieldTests.TryFind(e, Name, out var fields, out var index) && TryRead(fields, index, out number);
    }

    /// <summary>The field at <paramref name="index"/> when it is a number written short, as <see cref="CelValue.FromJson"/> reads it.</summary>
    public static bool TryRead(DataFields fields, int index, out CelNumber number)
    {
        number = default;
        if (fields.KindAt(index) != JsonTokenType.Number)
        {
            return false;
        }

        var raw = fields.ValueAt(index);
        if (JsonNumbers.TryReadInteger(raw, out var integer))
        {
            number = CelNumber.Of(integer);
            return true;
        }

        if (JsonNumbers.TryReadDouble(raw, out var fraction))
        {
            number = CelNumber.Of(fraction);
            return true;
        }

        return false;
    }

    /// <summary>A bool field read as a truth; any other JSON value is not a bool (an error), an absent one missing.</summary>
    public override Truth Test(GameEvent e)
    {
        if (!FieldTests.TryFind(e, Name, out var fields, out var index))
        {
            return Truth.Missing;
        }

        return fields.KindAt(index) switch
        {
            JsonTokenType.True => Truth.True,
            JsonTokenType.False => Truth.False,
            _ => Truth.Error,
        };
    }
}

/// <summary>
/// <c>data</c> or <c>data.a.b</c>: property names kept as UTF-8 so lookups do not allocate. An absent key is
/// missing; selecting a field of a value that is not an object (a number, a string, null, an array) is an error.
/// </summary>
internal sealed class DataPathNode(byte[][] segments) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => Resolve(e, segments.Length, out var member) switch
    {
        CelKind.Json => CelValue.FromJson(member),
        var failure => failure == CelKind.Missing ? CelValue.Missing : CelValue.Error,
    };

    /// <summary>Follows the first <paramref name="count"/> segments: Json with the member, or Missing or Error.</summary>
    private CelKind Resolve(GameEvent e, int count, out JsonMember member)
    {
        member = default;
        if (e.Fields is not { } fields)
        {
            return CelKind.Missing;
        }

        if (count == 0)
        {
            member = new JsonMember(default, JsonTokenType.StartObject, fields.Json, false);
            return CelKind.Json;
        }

        if (!fields.TryGet(segments[0], out member))
        {
            return CelKind.Missing;
        }

        for (var i = 1; i < count; i++)
        {
            if (member.Kind != JsonTokenType.StartObject)
            {
                return CelKind.Error;
            }

            if (!DataFields.TryFind(member.Value, segments[i], out member))
            {
                return CelKind.Missing;
            }
        }

        return CelKind.Json;
    }

    /// <summary>
    /// <c>has(data.a.b)</c>: whether the object <c>data.a</c> has the key <c>b</c>; missing when <c>data.a</c> is
    /// missing and an error when it is not an object, as CEL says. An event without data has no fields.
    /// </summary>
    public Truth Has(GameEvent e)
    {
        if (e.Fields is null && segments.Length == 1)
        {
            return Truth.False;
        }

        var kind = Resolve(e, segments.Length - 1, out var parent);
        return kind switch
        {
            CelKind.Json when segments.Length == 1 => Truths.From(e.Fields!.TryGet(segments[0], out _)),
            CelKind.Json when parent.Kind == JsonTokenType.StartObject => Truths.From(DataFields.TryFind(parent.Value, segments[^1], out _)),
            CelKind.Missing => Truth.Missing,
            _ => Truth.Error,
        };
    }
}

internal sealed class HasNode(DataPathNode path) : BoolNode
{
    public override Truth Test(GameEvent e) => path.Has(e);
}

internal sealed class NotNode(CelNode operand) : BoolNode
{
    public override Truth Test(GameEvent e) => operand.Test(e) switch
    {
        Truth.True => Truth.False,
        Truth.False => Truth.True,
        var failure => failure,
    };
}

internal sealed class NegateNode(CelNode operand) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = operand.Evaluate(e);
        return value.Kind switch
        {
            CelKind.IntNumber => value.AsInt == long.MinValue ? CelValue.Error : CelValue.FromInt(-value.AsInt),
            CelKind.DoubleNumber => CelValue.FromDouble(-value.AsDouble),
            CelKind.Missing => value,
            _ => CelValue.Error,
        };
    }
}

/// <summary>
/// A chain of <c>&amp;&amp;</c> or of <c>||</c> with CEL's commutative error handling: one <c>false</c> (for
/// <c>&amp;&amp;</c>) or <c>true</c> (for <c>||</c>) decides, whichever side the errors are on.
/// </summary>
internal sealed class LogicalNode(bool isAnd, CelNode[] operands) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        var decisive = isAnd ? Truth.False : Truth.True;
        var failure = Truth.True;
        foreach (var operand in operands)
        {
            var truth = operand.Test(e);
            if (truth == decisive)
            {
                return truth;
            }

            // Missing or an error; a missing field is kept over an error.
            if (truth is Truth.Missing or Truth.Error && failure != Truth.Missing)
            {
                failure = truth;
            }
        }

        return failure is Truth.Missing or Truth.Error ? failure : Truths.From(isAnd);
    }
}

internal sealed class ArithmeticNode(char op, CelNode left, CelNode right) : CelNode
{
    /// <summary>Longest string a concatenation may build, so a chain of <c>+</c> cannot exhaust memory.</summary>
    public const int MaxConcatenatedLength = 16 * 1024;

    /// <summary>Numbers as <see cref="Evaluate"/> computes them: int op int an int (false where that is an error), else a double.</summary>
    public override bool TryNumber(GameEvent e, out CelNumber number)
    {
        number = default;
        if (!left.TryNumber(e, out var l) || !right.TryNumber(e, out var r))
        {
            return false;
        }

        if (l.IsInt && r.IsInt)
        {
            var defined = CelOperations.TryInteger(op, l.Int, r.Int, out var result);
            number = CelNumber.Of(result);
            return defined;
        }

        number = CelNumber.Of(CelOperations.Double(op, l.AsDouble, r.AsDouble));
        return true;
    }

    public override CelValue Evaluate(GameEvent e)
    {
        var l = left.Evaluate(e);
        var r = right.Evaluate(e);
        if (l.IsNotValue || r.IsNotValue)
        {
            return CelOperations.Failure(l, r);
        }

        if (l.Kind == CelKind.IntNumber && r.Kind == CelKind.IntNumber)
        {
            return CelOperations.TryInteger(op, l.AsInt, r.AsInt, out var result) ? CelValue.FromInt(result) : CelValue.Error;
        }

        if (l.IsNumber && r.IsNumber)
        {
            return CelValue.FromDouble(CelOperations.Double(op, l.AsDouble, r.AsDouble));
        }

        if (op == '+' && l.Kind == CelKind.Text && r.Kind == CelKind.Text)
        {
            // The one operation that allocates: a new string is the result.
            Span<char> a = stackalloc char[128];
            Span<char> b = stackalloc char[128];
            var first = l.GetChars(a);
            var second = r.GetChars(b);
            return first.Length + second.Length <= MaxConcatenatedLength ? CelValue.FromString(string.Concat(first, second)) : CelValue.Error;
        }

        return CelValue.Error;
    }
}

internal enum Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

internal sealed class CompareNode(Comparison comparison, CelNode left, CelNode right) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        // Numbers, the usual operands (data fields, literals, arithmetic on them), compared without building values.
        if (left.TryNumber(e, out var ln) && right.TryNumber(e, out var rn))
        {
            return Truths.From(CelOperations.Holds(comparison, ln, rn));
        }

        var l = left.Evaluate(e);
        var r = right.Evaluate(e);
        if (l.Kind == CelKind.IntNumber && r.Kind == CelKind.IntNumber)
        {
            return Truths.From(CelOperations.Holds(comparison, l.AsInt.CompareTo(r.AsInt)));
        }

        if (l.IsNotValue || r.IsNotValue)
        {
            return Truths.Failure(l, r);
        }

        if (comparison is Comparison.Equal or Comparison.NotEqual)
        {
            var equal = CelOperations.TryEquals(l, r);
            return equal is { } eq ? Truths.From(eq == (comparison == Comparison.Equal)) : Truth.Error;
        }

        return CelOperations.Order(comparison, l, r);
    }
}

/// <summary><c>x in [a, b, c]</c>: every element is evaluated, and one that fails makes the result fail (CEL: an error).</summary>
internal sealed class InListNode(CelNode item, CelNode[] list) : BoolNode
{
    /// <summary>The list's values when every element is a literal (the usual <c>x in ['a', 'b']</c>), else null.</summary>
    private readonly CelValue[]? _constants = list.All(node => node is ConstantNode) ? [.. list.Select(node => ((ConstantNode)node).Value)] : null;

    public override Truth Test(GameEvent e)
    {
        var value = item.Evaluate(e);
        if (value.IsNotValue)
        {
            return Truths.Of(value);
        }

        if (_constants is { } constants)
        {
            // Literals are never missing or errors, so the first equal one decides.
            foreach (ref readonly var c in constants.AsSpan())
            {
                if (CelOperations.TryEquals(value, c) == true)
                {
                    return Truth.True;
                }
            }

            return Truth.False;
        }

        var found = false;
        var failure = Truth.True;
        foreach (var candidate in list)
        {
            var c = candidate.Evaluate(e);
            if (c.IsNotValue)
            {
                failure = failure == Truth.Missing || c.Kind == CelKind.Missing ? Truth.Missing : Truth.Error;
            }
            else if (!found && CelOperations.TryEquals(value, c) == true)
            {
                found = true;
            }
        }

        return failure is Truth.Missing or Truth.Error ? failure : Truths.From(found);
    }
}

/// <summary><c>x in data.list</c> (membership in a JSON array) and <c>'key' in data.map</c> (a key of a JSON object).</summary>
internal sealed class InJsonNode(CelNode item, CelNode container) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        var value = item.Evaluate(e);
        var collection = container.Evaluate(e);
        if (value.IsNotValue || collection.IsNotValue)
        {
            return Truths.Failure(value, collection);
        }

        if (collection.TryGetObject(out var map))
        {
            if (value.Kind != CelKind.Text)
            {
                return Truth.False;
            }

            if (value.TryGetUtf8(out var key))
            {
                return Truths.From(DataFields.TryFind(map, key, out _));
            }

            Span<char> scratch = stackalloc char[256];
            var chars = value.GetChars(scratch);
            Span<byte> utf8 = chars.Length <= 256 ? stackalloc byte[chars.Length * 3] : new byte[Encoding.UTF8.GetByteCount(chars)];
            return Truths.From(DataFields.TryFind(map, utf8[..Encoding.UTF8.GetBytes(chars, utf8)], out _));
        }

        if (!collection.TryGetArray(out var array))
        {
            return Truth.Error;
        }

        var failed = false;
        var items = new JsonItems(array);
        while (items.MoveNext())
        {
            switch (CelOperations.TryEquals(value, CelValue.FromJson(items.Current)))
            {
                case true:
                    return Truth.True;
                case null:
                    failed = true;
                    break;
                default:
                    break;
            }
        }

        return failed ? Truth.Error : Truth.False;
    }
}

internal enum StringMethod { StartsWith, EndsWith, Contains }

internal sealed class StringMethodNode(StringMethod method, CelNode target, CelNode argument) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        var t = target.Evaluate(e);
        var a = argument.Evaluate(e);
        if (t.Kind != CelKind.Text || a.Kind != CelKind.Text)
        {
            return Truths.Failure(t, a);
        }

        if (t.TryGetUtf8(out var text8) && a.TryGetUtf8(out var part8))
        {
            // UTF-8 is self-synchronising: prefixes, suffixes and substrings in bytes are the same as in characters.
            return Truths.From(method switch
            {
                StringMethod.StartsWith => text8.StartsWith(part8),
                StringMethod.EndsWith => text8.EndsWith(part8),
                _ => text8.IndexOf(part8) >= 0,
            });
        }

        Span<char> tScratch = t.NeedsScratch ? stackalloc char[256] : default;
        Span<char> aScratch = a.NeedsScratch ? stackalloc char[256] : default;
        var text = t.GetChars(tScratch);
        var part = a.GetChars(aScratch);
        return Truths.From(method switch
        {
            StringMethod.StartsWith => text.StartsWith(part, StringComparison.Ordinal),
            StringMethod.EndsWith => text.EndsWith(part, StringComparison.Ordinal),
            _ => text.Contains(part, StringComparison.Ordinal),
        });
    }
}
