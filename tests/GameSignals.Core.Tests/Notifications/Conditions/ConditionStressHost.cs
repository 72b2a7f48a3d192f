using System.Text.Json;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Core.Tests.Notifications.Conditions;

/// <summary>
/// The test assembly's entry point, for child processes started by <see cref="HostileConditionTests"/>: a
/// stack overflow cannot be caught and kills the process, so hostile conditions are compiled and evaluated
/// here, and the test asserts that this process answered every condition and exited cleanly.
/// </summary>
public static class ConditionStressHost
{
    /// <summary>The stack .NET gives the threads it creates on Windows and macOS, smaller than Linux's default.</summary>
    public const int StackSize = 1536 * 1024;

    public const string Command = "condition-stress";

    /// <summary>
    /// Reads conditions (one JSON string per line) from stdin, compiles and evaluates each on a thread with a
    /// 1.5 MiB stack (or the size given), and writes one JSON line per condition: the outcome, or the first error's cause.
    /// </summary>
    public static int Main(string[] args)
    {
        var stackSize = StackSize;
        if (args is not ([Command] or [Command, _]) || (args.Length == 2 && !int.TryParse(args[1], out stackSize)))
        {
            Console.Error.WriteLine($"usage: {Command} [stack size in bytes] < conditions (one JSON string per line)");
            return 2;
        }

        var conditions = new List<string>();
        while (Console.In.ReadLine() is { } line)
        {
            conditions.Add(JsonSerializer.Deserialize<string>(line)!);
        }

        var answers = new List<string>(conditions.Count);
        var worker = new Thread(() => answers.AddRange(conditions.Select(Answer)), stackSize);
        worker.Start();
        worker.Join();
        foreach (var answer in answers)
        {
            Console.Out.WriteLine(answer);
        }

        return 0;
    }

    private static readonly GameSignals.Events.GameEvent Event = TestEvents.Make("game.stress",
        "{\"n\":1,\"d\":1.5,\"o\":{\"a\":{\"a\":1}},\"s\":\"" + new string('x', 10_000) + "\",\"list\":[" + string.Join(',', Enumerable.Range(0, 1000)) + "]}");

    private static string Answer(string text) =>
        Condition.TryCompile(text, out var condition, out var errors)
            ? JsonSerializer.Serialize(new { outcome = condition!.Evaluate(Event).ToString() })
            : JsonSerializer.Serialize(new { rejected = errors[0].Cause });
}
