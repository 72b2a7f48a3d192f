using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Core.Tests.Notifications.Conditions;

public class ConditionTests
{
    private const string Data = """
        {"hp":120,"maxHp":1000.0,"ratio":0.5,"autoBattle":true,"inCombat":false,"zone":"abyss","cause":"mob",
         "nested":{"level":7,"name":"Bob"},"tags":["a","b"],"nothing":null,"escaped":"caf\u00e9 \"q\""}
        """;

    private static readonly GameSignals.Events.GameEvent Event = TestEvents.Make("game.character.hp_changed", Data);

    private static ConditionOutcome Evaluate(string text) => Condition.Compile(text).Evaluate(Event);

    [Theory]
    [InlineData("data.hp + 1 == 121")]
    [InlineData("data.hp - 20 == 100")]
    [InlineData("data.hp * 5 < data.maxHp")]
    [InlineData("data.maxHp / 8 == 125")]
    [InlineData("data.hp % 7 == 1")]
    [InlineData("-data.hp == -120")]
    [InlineData("data.hp != 121")]
    [InlineData("data.hp <= 120 && data.hp >= 120")]
    [InlineData("data.hp > 119.5")]
    [InlineData("data.autoBattle && !data.inCombat")]
    [InlineData("data.inCombat || data.autoBattle")]
    [InlineData("data.zone in ['rift', 'abyss']")]
    [InlineData("!(data.zone in ['rift'])")]
    [InlineData("'b' in data.tags")]
    [InlineData("has(data.nested.level) && !has(data.nested.rank)")]
    [InlineData("data.zone.startsWith('aby') && data.zone.endsWith(\"ss\") && data.zone.contains('yss')")]
    [InlineData("data.nested.name == \"Bob\" && data.nested.level == 7.0")]
    [InlineData("data.nothing == null")]
    [InlineData("data.zone < 'b' && 'b' > data.zone")]
    [InlineData("(1 + 2) * 3 == 9 && 1 + 2 * 3 == 7")]
    [InlineData("data.ratio * 2 == 1")]
    [InlineData("data.escaped == 'café \"q\"' && data.escaped.startsWith('caf')")]
    [InlineData("'ab' + data.zone == 'ababyss'")]
    [InlineData("type == 'game.character.hp_changed' && gameid == 'odin' && userid == 'u1' && characterid == 'c1' && server == 'kr-01' && source.startsWith('/games/')")]
    [InlineData("data.hp == 120.0 && 120 == data.hp && 1e2 < data.hp")]
    [InlineData("data.zone != 1")]
    public void A_true_condition_matches(string text) => Assert.Equal(ConditionOutcome.Match, Evaluate(text));

    /// <summary>Data spelled as producers may spell it: escaped names and strings, repeated names, the same values written two ways.</summary>
    private static readonly GameSignals.Events.GameEvent Respelled = TestEvents.Make("game.test", """
        {"k\u00e9y":1,"s":"caf\u00e9","t":"café","dup":1,"dup":2,
         "o":{"a":[1,2.5,"x"],"b":{"c":null}},"p":{"\u0062":{"c":null},"a":[1.0,25e-1,"\u0078"]},"q":{"a":[1,2.5],"b":{"c":null}}}
        """);

    [Theory]
    [InlineData("data.s == data.t && data.s == 'café' && data.t == 'caf\u00e9'", true)]
    [InlineData("data.s.startsWith('caf') && data.s.endsWith('é') && data.s.contains('fé') && data.s < 'cb' && data.s > 'caf'", true)]
    [InlineData("'kéy' in data", true)]
    [InlineData("data.dup == 2", true)]
    [InlineData("data.o == data.p && data.p == data.o", true)]
    [InlineData("data.o == data.q || data.q == data.o", false)]
    [InlineData("'x' in data.p.a && 2.5 in data.o.a && 'b' in data.p && !('c' in data.p)", true)]
    [InlineData("data.p.b.c == null && has(data.p.b.c)", true)]
    public void Conditions_read_data_however_it_is_spelled(string text, bool matches) =>
        Assert.Equal(matches ? ConditionOutcome.Match : ConditionOutcome.NoMatch, Condition.Compile(text).Evaluate(Respelled));

    [Theory]
    [InlineData("data.hp * 10 < data.maxHp")]
    [InlineData("data.zone in ['rift', 'forest']")]
    [InlineData("data.inCombat && data.nope > 1")]
    [InlineData("data.cause != 'mob'")]
    [InlineData("has(data.bossLevel)")]
    [InlineData("data.zone == 1")]
    [InlineData("data.nested == 1")]
    public void A_false_condition_does_not_match(string text) => Assert.Equal(ConditionOutcome.NoMatch, Evaluate(text));

    [Theory]
    [InlineData("data.bossLevel >= 50")]
    [InlineData("data.nested.rank == 1")]
    [InlineData("data.autoBattle && data.missing")]
    public void A_missing_field_is_no_match_of_its_own_kind(string text) => Assert.Equal(ConditionOutcome.MissingField, Evaluate(text));

    [Theory]
    [InlineData("data.hp / 0 > 1")]
    [InlineData("data.hp % 0 == 1")]
    [InlineData("data.zone > 1")]
    [InlineData("data.zone * 2 == 2")]
    [InlineData("data.zone.startsWith(data.hp)")]
    [InlineData("data.hp.value == 1")]
    [InlineData("!data.zone")]
    public void A_runtime_error_is_no_match_and_never_thrown(string text) => Assert.Equal(ConditionOutcome.Error, Evaluate(text));

    [Fact]
    public void An_error_on_one_side_of_a_decided_logical_operator_does_not_matter()
    {
        Assert.Equal(ConditionOutcome.NoMatch, Evaluate("data.missing > 1 && false"));
        Assert.Equal(ConditionOutcome.Match, Evaluate("data.zone > 1 || true"));
    }

    [Fact]
    public void Ints_and_decimals_of_the_same_value_are_equal_whatever_their_json_spelling()
    {
        var e = TestEvents.Make("x", """{"a":4000,"b":4000.0,"c":4e3,"d":800}""");
        Assert.Equal(ConditionOutcome.Match, Condition.Compile("data.a == data.b && data.b == data.c && data.d * 5 == data.a && data.d * 5.0 <= data.c").Evaluate(e));
    }

    [Theory]
    [InlineData("'a' * 2", 4, "operator '*' cannot be applied to string and int")]
    [InlineData("has(1)", 4, "has() takes one field selection")]
    [InlineData("size(data.tags) > 1", 0, "unknown function 'size'")]
    [InlineData("data.zone.matches('a')", 10, "unknown function 'matches'")]
    [InlineData("hp > 1", 0, "unknown identifier 'hp'")]
    [InlineData("data.hp >", 9, "the expression ends too early")]
    [InlineData("data.zone == 'abyss", 13, "the string is not closed")]
    [InlineData("data.hp # 2", 8, "unexpected character '#'")]
    [InlineData("(data.hp > 1", 12, "expected ')'")]
    [InlineData("data.hp + 1", 0, "the condition must be a bool")]
    [InlineData("true && 'x'", 5, "operator '&&' cannot be applied to bool and string")]
    [InlineData("1 == 'a'", 2, "operator '==' cannot be applied to int and string")]
    [InlineData("userid.name == 'x'", 7, "cannot select field 'name' of a string")]
    [InlineData("!1", 0, "operator '!' cannot be applied to a int")]
    [InlineData("data.zone in 'abc'", 13, "the right side of 'in' must be a list")]
    public void An_invalid_condition_is_rejected_with_position_and_cause(string text, int position, string cause)
    {
        Assert.False(Condition.TryCompile(text, out var condition, out var errors));
        Assert.Null(condition);
        var error = Assert.Single(errors);
        Assert.Equal(position, error.Position);
        Assert.Contains(cause, error.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_too_long_or_too_deeply_nested_is_rejected_not_a_stack_overflow()
    {
        Assert.False(Condition.TryCompile(string.Join(" + ", Enumerable.Repeat("data.a", 1000)) + " > 1", out _, out var tooLong));
        Assert.Contains("longer than", Assert.Single(tooLong).Cause, StringComparison.Ordinal);
        Assert.False(Condition.TryCompile(new string('(', 100) + "true" + new string(')', 100), out _, out var tooDeep));
        Assert.Contains("nested too deeply", Assert.Single(tooDeep).Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_type_error_of_a_condition_is_listed()
    {
        Assert.False(Condition.TryCompile("'a' * 2 > 1 && foo(1) && bar == 1", out _, out var errors));
        Assert.Equal([4, 15, 25], errors.Select(e => e.Position));
    }

    [Fact]
    public void Evaluating_a_compiled_condition_allocates_nothing()
    {
        var condition = Condition.Compile("data.autoBattle && data.hp * 5 < data.maxHp && data.zone in ['rift', 'abyss'] && data.zone.startsWith('ab') && userid == 'u1' && has(data.nested.level)");
        Assert.Equal(ConditionOutcome.Match, condition.Evaluate(Event));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            condition.Evaluate(Event);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static readonly string[] Conditions =
    [
        "data.a * 5 < data.b", "data.a == data.b", "data.a in [1, 'x', true, null]", "has(data.a.b) && data.a.b > 1",
        "data.a.startsWith(data.b)", "data.a + data.b == data.c", "data.a / data.b > 0 || data.a % data.b == 1",
        "-data.a < 0 && !data.b", "data.a in data.b", "data.a < data.b && data.a >= 'x'",
    ];

    [Property(MaxTest = 300)]
    public Property The_evaluator_never_throws_on_random_json_data(NonNegativeInt seed)
    {
        var random = new Random(seed.Get);
        var data = $$"""{"a":{{RandomJson(random, 3)}},"b":{{RandomJson(random, 3)}},"c":{{RandomJson(random, 2)}}}""";
        var e = TestEvents.Make("x", data);
        return Conditions.All(text => Enum.IsDefined(Condition.Compile(text).Evaluate(e))).ToProperty().Label(data);
    }

    private static readonly string[] Strings = ["\"\"", "\"caf\\u00e9\"", "\"a\\\"b\"", "\"\\ud83d\\ude00\"", "\"xx\"", "\"123\""];

    private static string RandomJson(Random random, int depth) => random.Next(depth > 0 ? 9 : 7) switch
    {
        0 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => (random.NextDouble() * 1e6 - 5e5).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        2 => random.Next(2) == 0 ? "1e308" : "-0.0",
        3 => Strings[random.Next(Strings.Length)],
        4 => random.Next(2) == 0 ? "true" : "false",
        5 => "null",
        6 => "\"x\"",
        7 => $"[{string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth - 1)))}]",
        _ => $"{{\"b\":{RandomJson(random, depth - 1)},\"c\":{RandomJson(random, depth - 1)}}}",
    };
}
