using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>A compiled expression node. Evaluation returns a struct and never throws on content.</summary>
internal abstract class CelNode
{
    public abstract CelValue Evaluate(GameEvent e);
}

internal sealed class ConstantNode(CelValue value) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => value;
}

internal sealed class EnvelopeNode(Func<GameEvent, string?> read) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => read(e) is { } text ? CelValue.FromString(text) : CelValue.Missing;
}

/// <summary><c>data</c> or <c>data.a.b</c>: property names kept as UTF-8 so lookups do not allocate.</summary>
internal sealed class DataPathNode(byte[][] segments) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => TryResolve(e, out var element) ? CelValue.FromJson(element) : CelValue.Missing;

    public bool TryResolve(GameEvent e, out JsonElement element)
    {
        element = e.Data;
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class HasNode(DataPathNode path) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => CelValue.FromBool(path.TryResolve(e, out _));
}

internal sealed class NotNode(CelNode operand) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = operand.Evaluate(e);
        return value.Kind switch
        {
            CelKind.Bool => CelValue.FromBool(!value.Bool),
            CelKind.Missing => value,
            _ => CelValue.Error,
        };
    }
}

internal sealed class NegateNode(CelNode operand) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = operand.Evaluate(e);
        return value.Kind switch
        {
            CelKind.Number => CelValue.FromNumber(-value.Number),
            CelKind.Missing => value,
            _ => CelValue.Error,
        };
    }
}

/// <summary>
/// <c>&amp;&amp;</c> and <c>||</c> with CEL's commutative error handling: <c>false &amp;&amp; error</c> is false
/// and <c>true || error</c> is true, whichever side the error is on.
/// </summary>
internal sealed class LogicalNode(bool isAnd, CelNode left, CelNode right) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var l = left.Evaluate(e);
        if (l.Kind == CelKind.Bool && l.Bool != isAnd)
        {
            return l;
        }

        var r = right.Evaluate(e);
        if (r.Kind == CelKind.Bool && (r.Bool != isAnd || l.Kind == CelKind.Bool))
        {
            return r;
        }

        return CelOperations.Failure(l, r);
    }
}

internal sealed class ArithmeticNode(char op, CelNode left, CelNode right) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var l = left.Evaluate(e);
        var r = right.Evaluate(e);
        if (l.IsNotValue || r.IsNotValue)
        {
            return CelOperations.Failure(l, r);
        }

        if (l.Kind == CelKind.Number && r.Kind == CelKind.Number)
        {
            var result = op switch
            {
                '+' => l.Number + r.Number,
                '-' => l.Number - r.Number,
                '*' => l.Number * r.Number,
                '/' when r.Number != 0 => l.Number / r.Number,
                '%' when r.Number != 0 => l.Number % r.Number,
                _ => double.NaN,
            };
            return double.IsFinite(result) ? CelValue.FromNumber(result) : CelValue.Error;
        }

        if (op == '+' && l.Kind == CelKind.Text && r.Kind == CelKind.Text)
        {
            // The one operation that allocates: a new string is the result.
            Span<char> a = stackalloc char[128];
            Span<char> b = stackalloc char[128];
            return CelValue.FromString(string.Concat(l.GetChars(a), r.GetChars(b)));
        }

        return CelValue.Error;
    }
}

internal enum Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

internal sealed class CompareNode(Comparison comparison, CelNode left, CelNode right) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var l = left.Evaluate(e);
        var r = right.Evaluate(e);
        if (l.IsNotValue || r.IsNotValue)
        {
            return CelOperations.Failure(l, r);
        }

        if (comparison is Comparison.Equal or Comparison.NotEqual)
        {
            var equal = CelOperations.TryEquals(l, r);
            return equal is { } eq ? CelValue.FromBool(eq == (comparison == Comparison.Equal)) : CelValue.Error;
        }

        var order = CelOperations.TryCompare(l, r);
        return order is not { } o ? CelValue.Error : CelValue.FromBool(comparison switch
        {
            Comparison.Less => o < 0,
            Comparison.LessOrEqual => o <= 0,
            Comparison.Greater => o > 0,
            _ => o >= 0,
        });
    }
}

internal sealed class InListNode(CelNode item, CelNode[] list) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = item.Evaluate(e);
        if (value.IsNotValue)
        {
            return value;
        }

        foreach (var candidate in list)
        {
            var c = candidate.Evaluate(e);
            if (!c.IsNotValue && CelOperations.TryEquals(value, c) == true)
            {
                return CelValue.True;
            }
        }

        return CelValue.False;
    }
}

/// <summary><c>x in data.list</c>: membership in a JSON array of the event.</summary>
internal sealed class InJsonArrayNode(CelNode item, CelNode array) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = item.Evaluate(e);
        var list = array.Evaluate(e);
        if (value.IsNotValue || list.IsNotValue)
        {
            return CelOperations.Failure(value, list);
        }

        if (!list.TryGetArray(out var elements))
        {
            return CelValue.Error;
        }

        foreach (var element in elements.EnumerateArray())
        {
            if (CelOperations.TryEquals(value, CelValue.FromJson(element)) == true)
            {
                return CelValue.True;
            }
        }

        return CelValue.False;
    }
}

internal enum StringMethod { StartsWith, EndsWith, Contains }

internal sealed class StringMethodNode(StringMethod method, CelNode target, CelNode argument) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var t = target.Evaluate(e);
        var a = argument.Evaluate(e);
        if (t.Kind != CelKind.Text || a.Kind != CelKind.Text)
        {
            return CelOperations.Failure(t, a);
        }

        Span<char> tScratch = stackalloc char[256];
        Span<char> aScratch = stackalloc char[256];
        var text = t.GetChars(tScratch);
        var part = a.GetChars(aScratch);
        return CelValue.FromBool(method switch
        {
            StringMethod.StartsWith => text.StartsWith(part, StringComparison.Ordinal),
            StringMethod.EndsWith => text.EndsWith(part, StringComparison.Ordinal),
            _ => text.Contains(part, StringComparison.Ordinal),
        });
    }
}

internal static class CelOperations
{
    /// <summary>The result of an operation that cannot proceed: missing data is reported before other errors, as the metric does.</summary>
    public static CelValue Failure(in CelValue l, in CelValue r) =>
        l.Kind == CelKind.Missing || r.Kind == CelKind.Missing ? CelValue.Missing : CelValue.Error;

    /// <summary>Equality across kinds is false (CEL's heterogeneous equality); JSON objects and arrays have none (null).</summary>
    public static bool? TryEquals(in CelValue l, in CelValue r)
    {
        if (l.Kind != r.Kind)
        {
            return l.Kind == CelKind.Json || r.Kind == CelKind.Json ? null : false;
        }

        switch (l.Kind)
        {
            case CelKind.Null:
                return true;
            case CelKind.Bool:
                return l.Bool == r.Bool;
            case CelKind.Number:
                return l.Number == r.Number;
            case CelKind.Text:
                Span<char> a = stackalloc char[256];
                Span<char> b = stackalloc char[256];
                return l.GetChars(a).SequenceEqual(r.GetChars(b));
            default:
                return null;
        }
    }

    /// <summary>Order of two numbers or two strings (ordinal); null when they cannot be ordered.</summary>
    public static int? TryCompare(in CelValue l, in CelValue r)
    {
        if (l.Kind == CelKind.Number && r.Kind == CelKind.Number)
        {
            return l.Number.CompareTo(r.Number);
        }

        if (l.Kind == CelKind.Text && r.Kind == CelKind.Text)
        {
            Span<char> a = stackalloc char[256];
            Span<char> b = stackalloc char[256];
            return l.GetChars(a).SequenceCompareTo(r.GetChars(b));
        }

        return null;
    }
}
