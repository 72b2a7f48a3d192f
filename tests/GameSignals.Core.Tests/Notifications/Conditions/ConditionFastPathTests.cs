using System.Text;
using FsCheck.Xunit;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Core.Tests.Notifications.Conditions;

/// <summary>
/// The fast paths of conditions give what the general evaluation gives: the fused nodes for a field against literals
/// (<see cref="FieldTests"/>) and the numeric lane of comparisons and arithmetic (<see cref="CelNode.TryNumber"/>), on
/// every kind of JSON value a field can hold, written every way (escapes, fractions, exponents, long integers), and when
/// the field or the whole data is absent.
/// </summary>
public class ConditionFastPathTests
{
    private static readonly string[] Values =
    [
        "12", "-3", "0", "-0", "1e1", "12.0", "2.5", "-2.5E-1", "123456789012345678", "-123456789012345678", "1234567890123456789",
        "9223372036854775807", "9223372036854775808", "1e400", "\"z1\"", "\"z\\u0031\"", "\"Z1\"", "\"\"", "\"é\"", "\"\\u00e9\"", "\"Relic z1\"",
        "\"q\\\"1\"", "true", "false", "null", "[1]", "{\"a\":1}",
    ];

    private static readonly CelValue[] Numbers =
        [CelValue.FromInt(0), CelValue.FromInt(12), CelValue.FromInt(-3), CelValue.FromInt(long.MaxValue), CelValue.FromDouble(2.5), CelValue.FromDouble(12.0), CelValue.FromDouble(-0.0), CelValue.FromDouble(double.NaN)];

    private static readonly string[] Texts = ["z1", "", "é", "Z", "Relic", "1", "q\"1"];

    [Property(MaxTest = 2000)]
    public bool A_field_compared_with_a_literal_tests_as_the_general_comparison(int value, int literal, int comparison, bool absent)
    {
        var e = Event(value, absent);
        var field = new FieldNode("x"u8.ToArray());
        var how = (Comparison)(Math.Abs(comparison) % 6);
        var constant = Math.Abs(literal) % 2 == 0
            ? new ConstantNode(Numbers[Math.Abs(literal) % Numbers.Length])
            : new ConstantNode(CelValue.FromLiteral(Texts[Math.Abs(literal) % Texts.Length]));
        var general = new CompareNode(how, field, constant);

        return Fused(FieldTests.Compare(how, field, constant, general), general, e);
    }

    [Property(MaxTest = 1000)]
    public bool A_field_looked_for_in_a_list_of_strings_tests_as_the_general_in(int value, int[] literals, bool absent)
    {
        var e = Event(value, absent);
        var field = new FieldNode("x"u8.ToArray());
        CelNode[] list = [.. (literals ?? []).Select(i => new ConstantNode(CelValue.FromLiteral(Texts[Math.Abs(i) % Texts.Length])))];
        var general = new InListNode(field, list);

        return Fused(FieldTests.In(field, list, general), general, e);
    }

    [Property(MaxTest = 1000)]
    public bool A_string_method_of_a_field_tests_as_the_general_method(int value, int literal, int method, bool absent)
    {
        var e = Event(value, absent);
        var field = new FieldNode("x"u8.ToArray());
        var how = (StringMethod)(Math.Abs(method) % 3);
        var argument = new ConstantNode(CelValue.FromLiteral(Texts[Math.Abs(literal) % Texts.Length]));
        var general = new StringMethodNode(how, field, argument);

        return Fused(FieldTests.StringMethod(how, field, argument, general), general, e);
    }

    [Property(MaxTest = 2000)]
    public bool Arithmetic_compared_on_the_numeric_lane_tests_as_on_values(int x, int y, int literal, int op, int comparison, bool absent)
    {
        var e = Event(x, absent, y);
        var sum = new ArithmeticNode("+-*/%"[Math.Abs(op) % 5], new FieldNode("x"u8.ToArray()), new ConstantNode(Numbers[Math.Abs(literal) % Numbers.Length]));
        var how = (Comparison)(Math.Abs(comparison) % 6);
        var fast = new CompareNode(how, sum, new FieldNode("y"u8.ToArray()));
        var general = new CompareNode(how, new Opaque(sum), new Opaque(new FieldNode("y"u8.ToArray())));

        // Where the lane gives a number, it is the value's; either way the comparison's truth is the general one.
        var value = sum.Evaluate(e);
        var sameNumber = !sum.TryNumber(e, out var number)
            || (number.IsInt ? value.Kind == CelKind.IntNumber && value.AsInt == number.Int : value.Kind == CelKind.DoubleNumber && value.AsDouble.Equals(number.Double));
        return sameNumber && fast.Test(e) == general.Test(e);
    }

    [Property(MaxTest = 1000)]
    public bool A_data_number_evaluates_to_the_int_or_double_the_parsers_read(long whole, int scale, bool asInteger)
    {
        var text = asInteger ? whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : Events.EventDecoderTests.Decimal(whole, scale);
        var value = CelValue.FromJson(new JsonMember(default, System.Text.Json.JsonTokenType.Number, Encoding.UTF8.GetBytes(text), false));

        var expected = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return asInteger
            ? value.Kind == CelKind.IntNumber && value.AsInt == whole
            : value.Kind == CelKind.DoubleNumber && value.AsDouble.Equals(expected) && double.IsNegative(value.AsDouble) == double.IsNegative(expected);
    }

    [Fact]
    public void Conditions_of_the_usual_shapes_are_fused()
    {
        var field = new FieldNode("x"u8.ToArray());
        var number = new ConstantNode(CelValue.FromInt(1));
        var text = new ConstantNode(CelValue.FromLiteral("a"));

        Assert.IsType<FieldCompareNumberNode>(FieldTests.Compare(Comparison.Less, field, number, new CompareNode(Comparison.Less, field, number)));
        Assert.IsType<FieldCompareTextNode>(FieldTests.Compare(Comparison.NotEqual, field, text, new CompareNode(Comparison.NotEqual, field, text)));
        Assert.IsType<FieldInTextsNode>(FieldTests.In(field, [text, text], new InListNode(field, [text, text])));
        Assert.IsType<FieldStringMethodNode>(FieldTests.StringMethod(StringMethod.Contains, field, text, new StringMethodNode(StringMethod.Contains, field, text)));
        Assert.IsType<FieldCompareTextNode>(FieldTests.Compare(Comparison.Less, field, text, new CompareNode(Comparison.Less, field, text)));
        Assert.IsType<InListNode>(FieldTests.In(field, [text, number], new InListNode(field, [text, number])));
    }

    /// <summary>True when <paramref name="fused"/> is not the general node itself and tests and evaluates as it does.</summary>
    private static bool Fused(CelNode fused, CelNode general, GameEvent e) =>
        !ReferenceEquals(fused, general) && fused.Test(e) == general.Test(e) && fused.Evaluate(e).ToString() == general.Evaluate(e).ToString();

    /// <summary>
    /// An event whose data has the field <c>x</c> with one of <see cref="Values"/> (and <c>y</c> with another, or 1);
    /// without <c>x</c>, or without data, when absent.
    /// </summary>
    private static GameEvent Event(int value, bool absent, int? other = null)
    {
        var y = other is { } o ? Values[Math.Abs(o) % Values.Length] : "1";
        var data = absent ? (value % 2 == 0 ? "" : $",\"data\":{{\"y\":{y}}}") : $",\"data\":{{\"y\":{y},\"x\":{Values[Math.Abs(value) % Values.Length]}}}";
        var json = $"{{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/s\",\"type\":\"game.test\",\"time\":\"2026-11-01T12:00:00Z\",\"gameid\":\"g\",\"userid\":\"u\"{data}}}";
        var events = new List<GameEvent>();
        EventDecoder.Decode(Encoding.UTF8.GetBytes(json), new MessageOrigin("h", "0", 0, "0", null), events, []);
        return events.Single();
    }

    /// <summary>A node as the general evaluation sees it: its value, and no numeric lane.</summary>
    private sealed class Opaque(CelNode inner) : CelNode
    {
        public override CelValue Evaluate(GameEvent e) => inner.Evaluate(e);
    }
}
