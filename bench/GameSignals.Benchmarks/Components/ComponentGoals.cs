using System.Diagnostics;
using System.Globalization;
using GameSignals.Benchmarks.Events;
using GameSignals.Benchmarks.Fraud;
using GameSignals.Benchmarks.IpRanges;
using GameSignals.Benchmarks.Notifications;
using GameSignals.Benchmarks.Profiles;

namespace GameSignals.Benchmarks.Components;

/// <summary>
/// The per-component goals of issue 14, measured with plain timed loops where a BenchmarkDotNet run would not fit
/// the size (a million distinct addresses, a table of a million rows): <c>bench/components.sh</c> runs them. A
/// component adds itself to <see cref="All"/>; each prints one line per goal.
/// </summary>
internal static class ComponentGoals
{
    private static readonly Dictionary<string, Func<IEnumerable<GoalLine>>> All = new(StringComparer.Ordinal)
    {
        ["decoder"] = DecoderGoals.Measure,
        ["iptable"] = IpTableGoals.Measure,
        ["receipts"] = ReceiptGoals.Measure,
        ["rules"] = RuleGoals.Measure,
        ["vectors"] = VectorGoals.Measure,
    };

    /// <summary><c>components --list</c> names the components; <c>components NAME...</c> measures them. Exit 1 when a goal fails.</summary>
    public static int Run(string[] arguments)
    {
        if (arguments is ["--list"])
        {
            Console.WriteLine(string.Join('\n', All.Keys));
            return 0;
        }

        var unknown = arguments.Where(name => !All.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"Unknown component(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Keys)}.");
            return 2;
        }

        var failed = false;
        foreach (var name in arguments.Length == 0 ? All.Keys.ToArray() : arguments)
        {
            foreach (var line in All[name]())
            {
                Console.WriteLine(line);
                failed |= !line.Pass;
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary>
    /// The median of <paramref name="runs"/> timings of <paramref name="work"/>, in CPU seconds of this process: the
    /// machine is shared, and a single-threaded loop's CPU time is what it costs one core whatever else runs.
    /// </summary>
    public static double MedianCpuSeconds(int runs, Action work)
    {
        var seconds = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            seconds[i] = CpuSeconds(work);
        }

        return Median(seconds);
    }

    /// <summary>
    /// CPU seconds of one run of <paramref name="pass"/>: a second of warm-up runs (so the JIT's tiering has compiled the
    /// optimised code the measured runs use), then the median of nine timings of <paramref name="passes"/> runs.
    /// </summary>
    public static double CpuSecondsPerPass(int passes, Action pass)
    {
        WarmUp(pass);
        return MedianCpuSeconds(9, () => Repeat(passes, pass)) / passes;
    }

    /// <summary>
    /// CPU seconds per run of a baseline and of a candidate, timed in alternation after both have warmed up: nine pairs of
    /// timings of <paramref name="passes"/> runs each, so that a burst of other work on a shared machine falls within
    /// one pair rather than on one side's whole measurement. Differences and ratios are the medians of the pairs' own: a
    /// difference of two medians measured apart came out negative under load, and a ratio of them from 0.72x to 2.13x on
    /// an idle machine.
    /// </summary>
    public static (double Baseline, double Difference, double Ratio) PairedCpuSecondsPerPass(int passes, Action baseline, Action candidate)
    {
        WarmUp(() =>
        {
            baseline();
            candidate();
        });

        const int Pairs = 9;
        var (baselines, differences, ratios) = (new double[Pairs], new double[Pairs], new double[Pairs]);
        for (var i = 0; i < Pairs; i++)
        {
            baselines[i] = CpuSeconds(() => Repeat(passes, baseline)) / passes;
            var candidateSeconds = CpuSeconds(() => Repeat(passes, candidate)) / passes;
            differences[i] = candidateSeconds - baselines[i];
            ratios[i] = candidateSeconds / baselines[i];
        }

        return (Median(baselines), Median(differences), Median(ratios));
    }

    private static double CpuSeconds(Action work)
    {
        using var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        work();
        process.Refresh();
        return (process.TotalProcessorTime - start).TotalSeconds;
    }

    private static void WarmUp(Action work)
    {
        var warmUp = Stopwatch.StartNew();
        do
        {
            work();
        }
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1));
    }

    private static void Repeat(int times, Action work)
    {
        for (var i = 0; i < times; i++)
        {
            work();
        }
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }

    public static string Number(double value) => value.ToString(value >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);
}

/// <summary>One goal: <c>name: measured (details) (goal ...) PASS</c> or <c>FAIL</c>.</summary>
internal sealed record GoalLine(string Name, string Measured, string Goal, bool Pass)
{
    public override string ToString() => $"{Name}: {Measured} (goal {Goal}) {(Pass ? "PASS" : "FAIL")}";
}
