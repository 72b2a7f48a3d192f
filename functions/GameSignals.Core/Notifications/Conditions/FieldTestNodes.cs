using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Notifications.Conditions;

/// <summary>
/// The usual leaves of a condition, a field of data against literals (<c>data.hp &lt; 100</c>, <c>data.zone == 'z1'</c>,
/// <c>data.locale in ['ko', 'en']</c>, <c>data.questId.startsWith('q')</c>), fused into one node each. Such a node reads
/// the field's JSON in place and decides the common cases (a short number, a string without escapes) without building a
/// <see cref="CelValue"/> for it or its literals; any other case (an absent field aside) it hands to the general node it
/// replaces, so its result is always that node's.
/// </summary>
internal static class FieldTests
{
    /// <summary><paramref name="general"/>, a comparison, or its fused form when it compares a field with a number or a string literal.</summary>
    public static CelNode Compare(Comparison comparison, CelNode left, CelNode right, CelNode general) => (left, right) switch
    {
        (FieldNode field, ConstantNode { Value.IsNumber: true } number) => new FieldCompareNumberNode(field.Name, comparison, number.Value, general),
        (FieldNode field, ConstantNode text) when Utf8Literal(text) is { } utf8 => new FieldCompareTextNode(field.Name, comparison, utf8, general),
        _ => general,
    };

    /// <summary><paramref name="general"/>, an <c>in</c> of a list, or its fused form when a field is looked for among string literals.</summary>
    public static CelNode In(CelNode item, CelNode[] list, CelNode general)
    {
        var texts = list.Select(node => node is ConstantNode literal ? Utf8Literal(literal) : null).ToArray();
        return item is FieldNode field && texts.All(text => text is not null) ? new FieldInTextsNode(field.Name, texts!, general) : general;
    }

    /// <summary><paramref name="general"/>, a string method, or its fused form when it applies to a field with a string literal.</summary>
    public static CelNode StringMethod(StringMethod method, CelNode target, CelNode argument, CelNode general) =>
        target is FieldNode field && argument is ConstantNode literal && Utf8Literal(literal) is { } utf8
            ? new FieldStringMethodNode(field.Name, method, utf8, general)
            : general;

    /// <summary>Where the field named <paramref name="name"/> is in the event's data; false when it has none such (the field is missing).</summary>
    public static bool TryFind(GameEvent e, byte[] name, out DataFields fields, out int index)
    {
        fields = e.Fields!;
        index = fields is null ? -1 : fields.IndexOf(name);
        return index >= 0;
    }

    /// <summary>A string field without escapes: its UTF-8 as written, which compares with a literal's byte for byte.</summary>
    public static bool TryGetPlainText(DataFields fields, int index, out ReadOnlySpan<byte> utf8)
    {
        utf8 = fields.ValueAt(index);
        return fields.KindAt(index) == JsonTokenType.String && !fields.IsEscapedAt(index);
    }

    private static byte[]? Utf8Literal(ConstantNode node) => node.Value.Kind == CelKind.Text && node.Value.TryGetUtf8(out var utf8) ? utf8.ToArray() : null;
}

/// <summary><c>data.x OP number</c>: a field written as a short number, compared as CEL compares numbers.</summary>
internal sealed class FieldCompareNumberNode(byte[] name, Comparison comparison, CelValue literal, CelNode general) : BoolNode
{
    private readonly CelNumber _literal = literal.Kind == CelKind.IntNumber ? CelNumber.Of(literal.AsInt) : CelNumber.Of(literal.AsDouble);

    public override Truth Test(GameEvent e)
    {
        if (!FieldTests.TryFind(e, name, out var fields, out var index))
        {
            return Truth.Missing;
        }

        return FieldNode.TryRead(fields, index, out var number) ? Truths.From(CelOperations.Holds(comparison, number, _literal)) : general.Test(e);
    }
}

/// <summary><c>data.x OP 'text'</c>: a string field compared in UTF-8 bytes, whose order is code point order.</summary>
internal sealed class FieldCompareTextNode(byte[] name, Comparison comparison, byte[] text, CelNode general) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        if (!FieldTests.TryFind(e, name, out var fields, out var index))
        {
            return Truth.Missing;
        }

        return FieldTests.TryGetPlainText(fields, index, out var value)
            ? Truths.From(CelOperations.Holds(comparison, value.SequenceCompareTo(text)))
            : general.Test(e);
    }
}

/// <summary><c>data.x in ['a', 'b']</c>.</summary>
internal sealed class FieldInTextsNode(byte[] name, byte[][] texts, CelNode general) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        if (!FieldTests.TryFind(e, name, out var fields, out var index))
        {
            return Truth.Missing;
        }

        if (!FieldTests.TryGetPlainText(fields, index, out var value))
        {
            return general.Test(e);
        }

        foreach (var text in texts)
        {
            if (value.SequenceEqual(text))
            {
                return Truth.True;
            }
        }

        return Truth.False;
    }
}

/// <summary><c>data.x.startsWith('text')</c>, <c>endsWith</c>, <c>contains</c>: in UTF-8 bytes, as <see cref="StringMethodNode"/> compares them.</summary>
internal sealed class FieldStringMethodNode(byte[] name, StringMethod method, byte[] text, CelNode general) : BoolNode
{
    public override Truth Test(GameEvent e)
    {
        if (!FieldTests.TryFind(e, name, out var fields, out var index))
        {
            return Truth.Missing;
        }

        if (!FieldTests.TryGetPlainText(fields, index, out var value))
        {
            return general.Test(e);
        }

        return Truths.From(method switch
        {
            StringMethod.StartsWith => value.StartsWith(text),
            StringMethod.EndsWith => value.EndsWith(text),
            _ => value.IndexOf(text) >= 0,
        });
    }
}
