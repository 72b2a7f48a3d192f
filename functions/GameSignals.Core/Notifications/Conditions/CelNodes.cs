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

/// <summary>
/// <c>data</c> or <c>data.a.b</c>: property names kept as UTF-8 so lookups do not allocate. An absent key is
/// missing; selecting a field of a value that is not an object (a number, a string, null, an array) is an error.
/// </summary>
internal sealed class DataPathNode(byte[][] segments) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => Resolve(e, segments.Length) switch
    {
        (CelKind.Json, var element) => CelValue.FromJson(element),
        (var failure, _) => failure == CelKind.Missing ? CelValue.Missing : CelValue.Error,
    };

    /// <summary>Follows the first <paramref name="count"/> segments: Json with the element, or Missing or Error.</summary>
    private (CelKind Kind, JsonElement Element) Resolve(GameEvent e, int count)
    {
        var element = e.Data;
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return (CelKind.Missing, default);
        }

        for (var i = 0; i < count; i++)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return (CelKind.Error, default);
            }

            if (!element.TryGetProperty(segments[i], out element))
            {
                return (CelKind.Missing, default);
            }
        }

        return (CelKind.Json, element);
    }

    /// <summary>
    /// <c>has(data.a.b)</c>: whether the object <c>data.a</c> has the key <c>b</c>; missing when <c>data.a</c> is
    /// missing and an error when it is not an object, as CEL says. An event without data has no fields.
    /// </summary>
    public CelValue Has(GameEvent e)
    {
        if (e.Data.ValueKind == JsonValueKind.Undefined && segments.Length == 1)
        {
            return CelValue.False;
        }

        var (kind, parent) = Resolve(e, segments.Length - 1);
        return kind switch
        {
            CelKind.Json when parent.ValueKind == JsonValueKind.Object => CelValue.FromBool(parent.TryGetProperty(segments[^1], out _)),
            CelKind.Missing => CelValue.Missing,
            _ => CelValue.Error,
        };
    }
}

internal sealed class HasNode(DataPathNode path) : CelNode
{
    public override CelValue Evaluate(GameEvent e) => path.Has(e);
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
internal sealed class LogicalNode(bool isAnd, CelNode[] operands) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var failure = CelValue.True;
        foreach (var operand in operands)
        {
            var value = operand.Evaluate(e);
            if (value.Kind == CelKind.Bool)
            {
                if (value.Bool != isAnd)
                {
                    return value;
                }
            }
            else if (failure.Kind != CelKind.Missing)
            {
                failure = value.Kind == CelKind.Missing ? CelValue.Missing : CelValue.Error;
            }
        }

        return failure.Kind == CelKind.Bool ? CelValue.FromBool(isAnd) : failure;
    }
}

internal sealed class ArithmeticNode(char op, CelNode left, CelNode right) : CelNode
{
    /// <summary>Longest string a concatenation may build, so a chain of <c>+</c> cannot exhaust memory.</summary>
    public const int MaxConcatenatedLength = 16 * 1024;

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
            return CelOperations.Integer(op, l.AsInt, r.AsInt);
        }

        if (l.IsNumber && r.IsNumber)
        {
            return CelValue.FromDouble(op switch
            {
                '+' => l.AsDouble + r.AsDouble,
                '-' => l.AsDouble - r.AsDouble,
                '*' => l.AsDouble * r.AsDouble,
                '/' => l.AsDouble / r.AsDouble,
                _ => l.AsDouble % r.AsDouble,
            });
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

        return CelOperations.Order(comparison, l, r);
    }
}

/// <summary><c>x in [a, b, c]</c>: every element is evaluated, and one that fails makes the result fail (CEL: an error).</summary>
internal sealed class InListNode(CelNode item, CelNode[] list) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = item.Evaluate(e);
        if (value.IsNotValue)
        {
            return value;
        }

        var found = false;
        var failure = CelValue.True;
        foreach (var candidate in list)
        {
            var c = candidate.Evaluate(e);
            if (c.IsNotValue)
            {
                failure = CelOperations.Failure(failure, c);
            }
            else if (!found && CelOperations.TryEquals(value, c) == true)
            {
                found = true;
            }
        }

        return failure.Kind == CelKind.Bool ? CelValue.FromBool(found) : failure;
    }
}

/// <summary><c>x in data.list</c> (membership in a JSON array) and <c>'key' in data.map</c> (a key of a JSON object).</summary>
internal sealed class InJsonNode(CelNode item, CelNode container) : CelNode
{
    public override CelValue Evaluate(GameEvent e)
    {
        var value = item.Evaluate(e);
        var collection = container.Evaluate(e);
        if (value.IsNotValue || collection.IsNotValue)
        {
            return CelOperations.Failure(value, collection);
        }

        if (collection.TryGetJson(JsonValueKind.Object, out var map))
        {
            Span<char> scratch = stackalloc char[256];
            return CelValue.FromBool(value.Kind == CelKind.Text && map.TryGetProperty(value.GetChars(scratch), out _));
        }

        if (!collection.TryGetJson(JsonValueKind.Array, out var array))
        {
            return CelValue.Error;
        }

        var failed = false;
        foreach (var element in array.EnumerateArray())
        {
            switch (CelOperations.TryEquals(value, CelValue.FromJson(element)))
            {
                case true:
                    return CelValue.True;
                case null:
                    failed = true;
                    break;
                default:
                    break;
            }
        }

        return failed ? CelValue.Error : CelValue.False;
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
