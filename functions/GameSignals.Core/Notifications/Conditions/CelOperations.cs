using System.Runtime.CompilerServices;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>CEL's int arithmetic, equality and ordering on evaluated values.</summary>
internal static class CelOperations
{
    /// <summary>The result of an operation that cannot proceed: missing data is reported before other errors, as the metric does.</summary>
    public static CelValue Failure(in CelValue l, in CelValue r) =>
        l.Kind == CelKind.Missing || r.Kind == CelKind.Missing ? CelValue.Missing : CelValue.Error;

    /// <summary>int64 arithmetic: false on overflow, division by zero and a zero modulus (errors in CEL); division truncates.</summary>
    public static bool TryInteger(char op, long l, long r, out long result)
    {
        switch (op)
        {
            case '+':
                result = unchecked(l + r);
                return ((l ^ result) & (r ^ result)) >= 0;
            case '-':
                result = unchecked(l - r);
                return ((l ^ r) & (l ^ result)) >= 0;
            case '*':
                var high = Math.BigMul(l, r, out result);
                return high == (result >> 63);
            default:
                var defined = r != 0 && !(l == long.MinValue && r == -1);
                result = !defined ? 0 : op == '/' ? l / r : l % r;
                return defined;
        }
    }

    /// <summary>IEEE double arithmetic, which has no errors (infinities and NaN are values).</summary>
    public static double Double(char op, double l, double r) => op switch
    {
        '+' => l + r,
        '-' => l - r,
        '*' => l * r,
        '/' => l / r,
        _ => l % r,
    };

    /// <summary>
    /// CEL's heterogeneous equality: values of different kinds are unequal, an int and a double are compared
    /// as doubles (NaN equals nothing), JSON arrays and objects element by element. Null when an element is
    /// an error (a JSON number no int64 or double holds).
    /// </summary>
    public static bool? TryEquals(in CelValue l, in CelValue r)
    {
        if (l.IsNumber && r.IsNumber)
        {
            return l.Kind == CelKind.IntNumber && r.Kind == CelKind.IntNumber ? l.AsInt == r.AsInt : l.AsDouble == r.AsDouble;
        }

        if (l.IsNotValue || r.IsNotValue)
        {
            return null;
        }

        if (l.Kind != r.Kind)
        {
            return false;
        }

        switch (l.Kind)
        {
            case CelKind.Null:
                return true;
            case CelKind.Bool:
                return l.Bool == r.Bool;
            case CelKind.Text:
                if (l.TryGetUtf8(out var a8) && r.TryGetUtf8(out var b8))
                {
                    return a8.SequenceEqual(b8);
                }

                Span<char> a = l.NeedsScratch ? stackalloc char[256] : default;
                Span<char> b = r.NeedsScratch ? stackalloc char[256] : default;
                return l.GetChars(a).SequenceEqual(r.GetChars(b));
            default:
                return JsonEquals(l, r);
        }
    }

    private static bool? JsonEquals(in CelValue l, in CelValue r)
    {
        // JSON nesting is bounded by the decoder (64 levels); the check keeps any other caller safe too.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return null;
        }

        if (l.TryGetArray(out var left) && r.TryGetArray(out var right))
        {
            if (Count(left) != Count(right))
            {
                return false;
            }

            bool? result = true;
            var rightItems = new JsonItems(right);
            var leftItems = new JsonItems(left);
            while (leftItems.MoveNext() && rightItems.MoveNext())
            {
                result = And(result, TryEquals(CelValue.FromJson(leftItems.Current), CelValue.FromJson(rightItems.Current)));
            }

            return result;
        }

        if (l.TryGetObject(out left) && r.TryGetObject(out right))
        {
            if (Count(left) != Count(right))
            {
                return false;
            }

            bool? result = true;
            var leftItems = new JsonItems(left);
            while (leftItems.MoveNext())
            {
                if (!DataFields.TryFind(right, leftItems.Current.Name.Span, out var other))
                {
                    return false;
                }

                result = And(result, TryEquals(CelValue.FromJson(leftItems.Current), CelValue.FromJson(other)));
            }

            return result;
        }

        return false;
    }

    /// <summary>The number of members (repeated names counted) or elements.</summary>
    private static int Count(ReadOnlyMemory<byte> json)
    {
        var count = 0;
        var items = new JsonItems(json);
        while (items.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>CEL's aggregate equality: any unequal element makes it false, else any error makes it an error.</summary>
    private static bool? And(bool? sofar, bool? next) => sofar == false || next == false ? false : sofar is null || next is null ? null : true;

    /// <summary>
    /// <c>&lt; &lt;= &gt; &gt;=</c> on two numbers (an int and a double as doubles; NaN is unordered, so every
    /// comparison with it is false), two strings (by code point) or two bools (false before true).
    /// </summary>
    public static Truth Order(Comparison comparison, in CelValue l, in CelValue r)
    {
        int order;
        if (l.Kind == CelKind.IntNumber && r.Kind == CelKind.IntNumber)
        {
            order = l.AsInt.CompareTo(r.AsInt);
        }
        else if (l.IsNumber && r.IsNumber)
        {
            return Truths.From(Holds(comparison, l.AsDouble, r.AsDouble));
        }
        else if (l.Kind == CelKind.Text && r.Kind == CelKind.Text)
        {
            // UTF-8 byte order is code point order.
            if (l.TryGetUtf8(out var a8) && r.TryGetUtf8(out var b8))
            {
                order = a8.SequenceCompareTo(b8);
            }
            else
            {
                Span<char> a = l.NeedsScratch ? stackalloc char[256] : default;
                Span<char> b = r.NeedsScratch ? stackalloc char[256] : default;
                order = CompareCodePoints(l.GetChars(a), r.GetChars(b));
            }
        }
        else if (l.Kind == CelKind.Bool && r.Kind == CelKind.Bool)
        {
            order = l.Bool.CompareTo(r.Bool);
        }
        else
        {
            return Truth.Error;
        }

        return Truths.From(Holds(comparison, order));
    }

    /// <summary>Whether <paramref name="comparison"/> holds between two numbers: as ints when both are, else as doubles.</summary>
    public static bool Holds(Comparison comparison, CelNumber l, CelNumber r) =>
        l.IsInt && r.IsInt ? Holds(comparison, l.Int.CompareTo(r.Int)) : Holds(comparison, l.AsDouble, r.AsDouble);

    /// <summary>Whether <paramref name="comparison"/> holds between two doubles: NaN equals nothing and is unordered.</summary>
    public static bool Holds(Comparison comparison, double x, double y) => comparison switch
    {
        Comparison.Equal => x == y,
        Comparison.NotEqual => x != y,
        Comparison.Less => x < y,
        Comparison.LessOrEqual => x <= y,
        Comparison.Greater => x > y,
        _ => x >= y,
    };

    /// <summary>Whether <paramref name="comparison"/> holds between two values whose order is <paramref name="order"/> (as CompareTo gives it).</summary>
    public static bool Holds(Comparison comparison, int order) => comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.NotEqual => order != 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        _ => order >= 0,
    };

    /// <summary>
    /// Orders UTF-16 text by Unicode code point: the same as ordinal order except that a surrogate pair (a code
    /// point past U+FFFF) sorts after U+E000..U+FFFF, so the first differing unit is remapped.
    /// </summary>
    public static int CompareCodePoints(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        return CodePointRank(a[common]).CompareTo(CodePointRank(b[common]));
    }

    private static int CodePointRank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
