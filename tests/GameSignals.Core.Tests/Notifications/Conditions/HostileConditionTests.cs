using System.Diagnostics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Core.Tests.Notifications.Conditions;

/// <summary>
/// No condition, however written, may crash, hang or exhaust the process. Each test hands its conditions to a
/// child process (<see cref="ConditionStressHost"/>) that compiles and evaluates them on a 1.5 MiB stack: a
/// stack overflow would kill that child, so the test asserts that it answered every condition and exited 0.
/// </summary>
public class HostileConditionTests
{
    private static readonly string DeepChain = string.Join('+', Enumerable.Repeat("1", 2040)) + " == 2040";

    [Fact]
    public void Hostile_conditions_are_rejected_or_evaluated_on_a_small_stack_without_crashing()
    {
        var cases = new (string Condition, string Expected)[]
        {
            (DeepChain, "nested too deeply"),
            (new string('(', 2040) + "true" + new string(')', 2040), "nested too deeply"),
            (new string('!', 4000) + "true", "nested too deeply"),
            (new string('-', 4000) + "1 == 1", "nested too deeply"),
            ("data" + string.Concat(Enumerable.Repeat(".a", 2000)) + " == 1", "nested too deeply"),
            (new string('(', 90) + "data.n == 1" + new string(')', 90), "Match"),
            (string.Join(" || ", Enumerable.Repeat("data.n == 2", 200)) + " || data.n == 1", "Match"),
            (string.Join(" && ", Enumerable.Repeat("true", 400)), "Match"),
            ("data.n in [" + string.Join(',', Enumerable.Repeat("0", 999)) + ",1]", "Match"),
            ("data.n in [" + string.Join(',', Enumerable.Repeat("0", 1500)) + "]", "more than 1000 elements"),
            ("999999999999999999999999999999 == data.n", "out of the int64 range"),
            ("1e999 > data.d", "out of the double range"),
            ("data.s.startsWith('" + new string('x', 4000) + "')", "Match"),
            (string.Join(" + ", Enumerable.Repeat("data.s", 90)) + " == ''", "Error"),
            ("data.s.contains(data.s)", "Match"),
            ("data.s.contains(data.s + data.s)", "Error"),
            ("9223372036854775807 + data.n > 0", "Error"),
        };

        var answers = RunInChildProcess(cases.Select(c => c.Condition).ToList());

        Assert.All(cases.Zip(answers), pair => Assert.Contains(pair.First.Expected, pair.Second, StringComparison.Ordinal));
    }

    [Fact]
    public void The_deep_chain_is_refused_in_process_too_with_its_position()
    {
        Assert.False(Condition.TryCompile(DeepChain, out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Contains("nested too deeply", error.Cause, StringComparison.Ordinal);
        Assert.Equal((2 * CelParser.MaxDepth) - 1, error.Position); // the 100th +
    }

    [Fact]
    public void On_a_stack_too_small_for_the_nesting_limit_the_stack_check_refuses_instead_of_overflowing()
    {
        var deepest = new string('(', CelParser.MaxDepth - 1) + "data.n == 1" + new string(')', CelParser.MaxDepth - 1);

        var answers = RunInChildProcess([deepest, "data.n == 1"], stackSize: 256 * 1024);

        Assert.Contains("nested too deeply for the available stack", answers[0], StringComparison.Ordinal);
        Assert.Contains("Match", answers[1], StringComparison.Ordinal);
    }

    [Property(MaxTest = 3)]
    public Property Generated_deep_and_long_conditions_never_crash_the_process() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Expression(6), 150)), conditions =>
        {
            var answers = RunInChildProcess(conditions);
            return answers.All(a => a.Contains("\"outcome\"", StringComparison.Ordinal) || a.Contains("\"rejected\":\"", StringComparison.Ordinal));
        });

    private static readonly string[] Operators = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "in"];

    private static readonly Gen<string> Leaf = Gen.OneOf(
        Gen.Elements("1", "0x7fffffffffffffff", "9223372036854775807", "1.5", "1e308", "0.0", "'a'", "r'\\d'", "'''x\ny'''",
            "'\\U0001F600'", "'\\ud800'", "'\\u 041'", "data.n", "data.s", "data.d", "data.o.a", "data.list", "data.missing.x",
            "true", "null", "type", "has(data.o.a)", "data.in", "1u", "b'x'", "\u00a0", "//c\n1"),
        Gen.Choose(1, 40).Select(n => new string('9', n)),
        Gen.Choose(1, 400).Select(n => $"'{new string('s', n)}'"));

    /// <summary>Random conditions built to be deep (nesting up to 2,100 levels) and long (chains up to 2,100 terms).</summary>
    private static Gen<string> Expression(int size) => size <= 0 ? Leaf : Gen.Frequency(
        (3, Leaf),
        (3, from l in Later(size - 1) from op in Gen.Elements(Operators) from r in Later(size - 1) select $"{l} {op} {r}"),
        (1, Later(size - 1).Select(e => $"({e})")),
        (1, Later(size - 1).Select(e => $"!{e}")),
        (1, from e in Later(size - 1) from items in Gen.ListOf(Later(size - 2)) select $"{e} in [{string.Join(", ", items)}]"),
        (1, from e in Later(size - 1) from a in Later(size - 1) from m in Gen.Elements("contains", "startsWith", "endsWith") select $"{e}.{m}({a})"),
        (2, from k in Gen.Choose(1, 2100) from e in Leaf from op in Gen.Elements(Operators) select string.Join($" {op} ", Enumerable.Repeat(e, k))),
        (2, from k in Gen.Choose(1, 2100) from e in Leaf from wrap in Gen.Elements("(", "!", "-", "-(", "!(") select Wrap(k, wrap, e)));

    /// <summary>Builds the generator only when a value is drawn, so the recursion is not unfolded up front.</summary>
    private static Gen<string> Later(int size) => Gen.Constant(size).SelectMany(Expression);

    private static string Wrap(int times, string prefix, string inner) =>
        string.Concat(Enumerable.Repeat(prefix, times)) + inner + new string(')', prefix.Count(c => c == '(') * times);

    /// <summary>Runs the conditions in a child process and returns its answers, one per condition, after it exited 0.</summary>
    private static List<string> RunInChildProcess(IReadOnlyList<string> conditions, int stackSize = ConditionStressHost.StackSize)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(ConditionStressHost).Assembly.Location);
        start.ArgumentList.Add(ConditionStressHost.Command);
        start.ArgumentList.Add(stackSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        foreach (var condition in conditions)
        {
            child.StandardInput.WriteLine(JsonSerializer.Serialize(condition));
        }

        child.StandardInput.Close();
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(2)), "the child process did not finish");
        Assert.True(child.ExitCode == 0, $"the child process exited with {child.ExitCode}: {error.Result}");
        var answers = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Equal(conditions.Count, answers.Count);
        return answers;
    }
}
