using System.Globalization;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Core.Tests.Notifications.Conditions;

/// <summary>
/// CEL's semantics (google/cel-spec, doc/langdef.md) for the contract's subset, grouped as the specification's
/// conformance suites group them. Each case is an expression and its value: <c>int 7</c>, <c>double 2.5</c>,
/// <c>string abc</c>, <c>bool true</c>, <c>null</c>, <c>error</c> (evaluates to an error: no match), <c>missing</c>
/// (reads an absent field: no match) or <c>rejected</c> (refused when the rule is saved). Fields are read from
/// the event's <c>data</c> (<see cref="Data"/>); deliberate differences from CEL are listed in docs/cel.md.
/// </summary>
public class CelConformanceTests
{
    private const string Data = """
        {"i":7,"neg":-7,"big":9007199254740993,"max":9223372036854775807,"min":-9223372036854775808,"tooBig":9223372036854775808,
         "d":2.5,"whole":4.0,"exp":4e0,"s":"abc","emoji":"\ud83d\ude00","private":"\ue000","b":true,"n":null,
         "o":{"a":1,"b":[1,2.0,"x"]},"same":{"b":[1,2,"x"],"a":1.0},"other":{"a":2,"b":[1,2.0,"x"]},"e":{},"tags":["a","b"],"l":[]}
        """;

    private static readonly GameSignals.Events.GameEvent Event = TestEvents.Make("game.test", Data);

    [Theory]
    [InlineData("0", "int 0")]
    [InlineData("42", "int 42")]
    [InlineData("-9223372036854775808", "int -9223372036854775808")]
    [InlineData("9223372036854775807", "int 9223372036854775807")]
    [InlineData("0x2A", "int 42")]
    [InlineData("-0x2a", "int -42")]
    [InlineData("0.0", "double 0")]
    [InlineData(".5", "double 0.5")]
    [InlineData("1e3", "double 1000")]
    [InlineData("-2.5e-1", "double -0.25")]
    [InlineData("''", "string ")]
    [InlineData("\"\"", "string ")]
    [InlineData("true", "bool true")]
    [InlineData("null", "null")]
    [InlineData("data.i", "int 7")]
    [InlineData("data.big", "int 9007199254740993")]
    [InlineData("data.whole", "double 4")]
    [InlineData("data.exp", "double 4")]
    [InlineData("data.s", "string abc")]
    [InlineData("data.n", "null")]
    [InlineData("data.unknown", "missing")]
    [InlineData("data.unknown || true", "bool true")]
    [InlineData("data.tooBig", "error")]
    [InlineData("userid", "string u1")]
    [InlineData("unknownName", "rejected")]
    [InlineData("size('a')", "rejected")]
    public void Basic(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("1 == 1", "bool true")]
    [InlineData("data.big == 9007199254740993", "bool true")]
    [InlineData("data.big == 9007199254740992", "bool false")]
    [InlineData("data.i == 7.0", "bool true")]
    [InlineData("data.whole == 4", "bool true")]
    [InlineData("0.0 / 0.0 == 0.0 / 0.0", "bool false")]
    [InlineData("0.0 / 0.0 != 0.0 / 0.0", "bool true")]
    [InlineData("-0.0 == 0.0", "bool true")]
    [InlineData("'abc' == data.s", "bool true")]
    [InlineData("null == null", "bool true")]
    [InlineData("data.n == null", "bool true")]
    [InlineData("data.o != null", "bool true")]
    [InlineData("data.tags != null", "bool true")]
    [InlineData("data.o == data.same", "bool true")]
    [InlineData("data.o == data.other", "bool false")]
    [InlineData("data.o == data.e", "bool false")]
    [InlineData("data.e == data.l", "bool false")]
    [InlineData("data.s == 1", "bool false")]
    [InlineData("1 == 'a'", "rejected")]
    [InlineData("1 < 2", "bool true")]
    [InlineData("2 <= 2", "bool true")]
    [InlineData("-1 > 1", "bool false")]
    [InlineData("data.max >= data.min", "bool true")]
    [InlineData("1 < 1.5", "bool true")]
    [InlineData("data.d > data.i", "bool false")]
    [InlineData("0.0 / 0.0 < 1.0", "bool false")]
    [InlineData("0.0 / 0.0 >= 1.0", "bool false")]
    [InlineData("false < true", "bool true")]
    [InlineData("true <= false", "bool false")]
    [InlineData("'a' < 'b'", "bool true")]
    [InlineData("'abc' < 'abd' && 'ab' < 'abc' && '' < 'a'", "bool true")]
    [InlineData("data.private < data.emoji", "bool true")]
    [InlineData("'\\uE000' < '\\U0001F600'", "bool true")]
    [InlineData("data.s < 1", "error")]
    [InlineData("'a' < 1", "rejected")]
    [InlineData("null < null", "rejected")]
    [InlineData("2 in [1, 2, 3]", "bool true")]
    [InlineData("4 in [1, 2, 3]", "bool false")]
    [InlineData("2 in [1.0, 2.0]", "bool true")]
    [InlineData("'a' in data.tags", "bool true")]
    [InlineData("'z' in data.tags", "bool false")]
    [InlineData("'a' in data.o", "bool true")]
    [InlineData("'z' in data.o", "bool false")]
    [InlineData("1 in data.o", "bool false")]
    [InlineData("2 in [data.unknown, 2]", "missing")]
    [InlineData("2 in [1 / 0, 2]", "error")]
    [InlineData("data.unknown in [1]", "missing")]
    [InlineData("1 in data.s", "error")]
    [InlineData("1 in 'abc'", "rejected")]
    public void Comparisons(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("true && true", "bool true")]
    [InlineData("true && false", "bool false")]
    [InlineData("false || true", "bool true")]
    [InlineData("false || false", "bool false")]
    [InlineData("!true", "bool false")]
    [InlineData("!!true", "bool true")]
    [InlineData("false && 1 / 0 > 1", "bool false")]
    [InlineData("1 / 0 > 1 && false", "bool false")]
    [InlineData("true || data.unknown", "bool true")]
    [InlineData("data.unknown || true", "bool true")]
    [InlineData("true && 1 / 0 > 1", "error")]
    [InlineData("data.unknown && 1 / 0 > 1", "missing")]
    [InlineData("1 / 0 > 1 || data.unknown", "missing")]
    [InlineData("false || false || false || true", "bool true")]
    [InlineData("true && true && data.s == 1 / 0", "error")]
    [InlineData("!data.s", "error")]
    [InlineData("!data.unknown", "missing")]
    [InlineData("true && 'x'", "rejected")]
    [InlineData("!1", "rejected")]
    public void Logic(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("40 + 2", "int 42")]
    [InlineData("42 - 50", "int -8")]
    [InlineData("-6 * 7", "int -42")]
    [InlineData("7 / 2", "int 3")]
    [InlineData("-7 / 2", "int -3")]
    [InlineData("7 % 3", "int 1")]
    [InlineData("-7 % 3", "int -1")]
    [InlineData("7 % -3", "int 1")]
    [InlineData("-(-42)", "int 42")]
    [InlineData("data.i * 5", "int 35")]
    [InlineData("data.big + 1", "int 9007199254740994")]
    [InlineData("1 / 0", "error")]
    [InlineData("1 % 0", "error")]
    [InlineData("9223372036854775807 + 1", "error")]
    [InlineData("data.max + 1", "error")]
    [InlineData("data.min - 1", "error")]
    [InlineData("-data.min", "error")]
    [InlineData("data.min / -1", "error")]
    [InlineData("data.min % -1", "error")]
    [InlineData("5000000000 * 5000000000", "error")]
    [InlineData("-5000000000 * 5000000000", "error")]
    [InlineData("-(9223372036854775807) - 1", "int -9223372036854775808")]
    [InlineData("9223372036854775808", "rejected")]
    [InlineData("0x8000000000000000", "rejected")]
    [InlineData("1 + 'a'", "rejected")]
    public void Integer_math(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("4.25 + 15.25", "double 19.5")]
    [InlineData("42.0 - 12.5", "double 29.5")]
    [InlineData("-3.0 * 2.5", "double -7.5")]
    [InlineData("1.0 / 4.0", "double 0.25")]
    [InlineData("-(0.0)", "double -0")]
    [InlineData("15.75 / 0.0", "double Infinity")]
    [InlineData("-15.75 / 0.0", "double -Infinity")]
    [InlineData("0.0 / 0.0", "double NaN")]
    [InlineData("2.0 * 8.988466e+307", "double Infinity")]
    [InlineData("1e-324 / 2.0", "double 0")]
    [InlineData("data.d * 2", "double 5")]
    [InlineData("7 / 2.0", "double 3.5")]
    [InlineData("data.i / 2.0", "double 3.5")]
    [InlineData("data.i + data.d", "double 9.5")]
    [InlineData("5.5 % 2.0", "double 1.5")]
    [InlineData("1e999", "rejected")]
    public void Double_math(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("'abc'.startsWith('ab')", "bool true")]
    [InlineData("'abc'.startsWith('')", "bool true")]
    [InlineData("'abc'.endsWith('bc')", "bool true")]
    [InlineData("'abc'.endsWith('ab')", "bool false")]
    [InlineData("'abc'.contains('b')", "bool true")]
    [InlineData("data.emoji.contains('\\U0001F600')", "bool true")]
    [InlineData("'ab' + 'cd'", "string abcd")]
    [InlineData("data.s + ''", "string abc")]
    [InlineData("'' + ''", "string ")]
    [InlineData("data.s.startsWith(1)", "rejected")]
    [InlineData("data.i.startsWith('a')", "error")]
    [InlineData("'a'.matches('a')", "rejected")]
    public void Strings(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("1 in []", "bool false")]
    [InlineData("'b' in ['a', 'b']", "bool true")]
    [InlineData("null in [null]", "bool true")]
    [InlineData("data.o in [data.same]", "bool true")]
    [InlineData("true in [1, 'true']", "bool false")]
    [InlineData("1 in data.o.b && 2 in data.o.b && 'x' in data.o.b", "bool true")]
    [InlineData("1 in data.l", "bool false")]
    [InlineData("[1, 2] == [1, 2]", "rejected")]
    [InlineData("data.tags[0] == 'a'", "rejected")]
    public void Lists(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("data.o.a", "int 1")]
    [InlineData("data.o.missing", "missing")]
    [InlineData("data.unknown.a", "missing")]
    [InlineData("data.s.a", "error")]
    [InlineData("data.n.a", "error")]
    [InlineData("data.tags.a", "error")]
    [InlineData("has(data.o)", "bool true")]
    [InlineData("has(data.o.a)", "bool true")]
    [InlineData("has(data.o.z)", "bool false")]
    [InlineData("has(data.n)", "bool true")]
    [InlineData("has(data.unknown.a)", "missing")]
    [InlineData("!has(data.unknown.a)", "missing")]
    [InlineData("has(data.s.a)", "error")]
    [InlineData("has(data.n.a)", "error")]
    [InlineData("has(data.as)", "bool false")]
    [InlineData("has(data)", "rejected")]
    [InlineData("data.in", "rejected")]
    [InlineData("data.true", "rejected")]
    [InlineData("userid.a", "rejected")]
    public void Fields(string expression, string expected) => Check(expression, expected);

    [Theory]
    [InlineData("'\\a\\b\\f\\n\\r\\t\\v\\\\\\?\\\"\\'\\`'", "string \a\b\f\n\r\t\v\\?\"'`")]
    [InlineData("'\\x41\\X42\\103\\u0044\\U00000045'", "string ABCDE")]
    [InlineData("'\\U0001F600' == data.emoji", "bool true")]
    [InlineData("'\\377'", "string ÿ")]
    [InlineData("\"\"\"a\nb\"\"\"", "string a\nb")]
    [InlineData("'''it's'''", "string it's")]
    [InlineData("r'\\n'", "string \\n")]
    [InlineData("R\"\"\"\\d+\"\"\"", "string \\d+")]
    [InlineData("1 + // one\n 2", "int 3")]
    [InlineData("1\t+\r\n2\f", "int 3")]
    [InlineData("((((((((((((((((((((((((((((((((7))))))))))))))))))))))))))))))))", "int 7")]
    [InlineData("--19", "int 19")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true", "bool true")]
    [InlineData("3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3", "int 3")]
    [InlineData("'\\u 041'", "rejected")]
    [InlineData("'\\u041'", "rejected")]
    [InlineData("'\\ud800'", "rejected")]
    [InlineData("'\\U00110000'", "rejected")]
    [InlineData("'\\400'", "rejected")]
    [InlineData("'\\q'", "rejected")]
    [InlineData("'a\nb'", "rejected")]
    [InlineData("1\u00a0+ 1", "rejected")]
    [InlineData("1\v+ 1", "rejected")]
    [InlineData("b'abc'", "rejected")]
    [InlineData("1u", "rejected")]
    [InlineData("1 ? 2 : 3", "rejected")]
    [InlineData("{'a': 1}", "rejected")]
    [InlineData("if", "rejected")]
    [InlineData("0x", "rejected")]
    [InlineData("1.e5", "rejected")]
    public void Parse(string expression, string expected) => Check(expression, expected);

    private static void Check(string expression, string expected)
    {
        var (node, _, errors) = CelCompiler.Compile(expression);
        if (expected == "rejected")
        {
            Assert.Null(node);
            Assert.NotEmpty(errors);
            return;
        }

        Assert.True(node is not null, string.Join("; ", errors));
        Assert.Equal(expected, Describe(node.Evaluate(Event)));
    }

    private static string Describe(CelValue value) => value.Kind switch
    {
        CelKind.Missing => "missing",
        CelKind.Error => "error",
        CelKind.Null => "null",
        CelKind.Bool => value.Bool ? "bool true" : "bool false",
        CelKind.IntNumber => "int " + value.AsInt.ToString(CultureInfo.InvariantCulture),
        CelKind.DoubleNumber => "double " + (value.AsDouble == 0 && double.IsNegative(value.AsDouble) ? "-0" : value.AsDouble.ToString("R", CultureInfo.InvariantCulture)),
        CelKind.Text => "string " + value,
        _ => "json " + value,
    };
}
