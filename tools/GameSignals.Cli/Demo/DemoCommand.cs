using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GameSignals.Cli.Generate;
using GameSignals.Cli.Replay;
using Spectre.Console;

namespace GameSignals.Cli.Demo;

/// <summary>
/// <c>demo [--events 4850000] [--small]</c>: generates a stream into a temporary directory, replays
/// it, and prints what came out. Needs nothing but the .NET SDK.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The origin platform's accuracy run: 4.85 million logs.</summary>
    public const int OriginEvents = 4_850_000;

    public static Command Create(CliConsole console)
    {
        var events = new Option<int>("--events") { Description = "lines to generate", DefaultValueFactory = _ => OriginEvents };
        var small = new Option<bool>("--small") { Description = "100,000 lines, for a quick look" };
        var seed = new Option<ulong>("--seed") { Description = "generator seed", DefaultValueFactory = _ => 1 };
        ReplayCommand.Positive(events);
        var command = new Command("demo", "Generate a synthetic stream, replay it and show the results.") { events, small, seed };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(small) ? 100_000 : parse.GetValue(events);
            await RunAsync(count, parse.GetValue(seed), console, ct).ConfigureAwait(false);
            return GameSignalsCli.Success;
        });
        return command;
    }

    private static async Task RunAsync(int events, ulong seed, CliConsole console, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("gamesignals-demo-");
        try
        {
            var input = Path.Combine(directory.FullName, "input");
            var output = Path.Combine(directory.FullName, "out");
            var generated = await GenerateCommand.GenerateAsync(new GenerateOptions(seed, Math.Max(100, events / 500), events, input), console).ConfigureAwait(false);
            var summary = await ReplayRunner.RunAsync(new ReplayOptions([generated.EventsPath], input, output), console, cancellationToken).ConfigureAwait(false);
            Render(console, summary, FlagsByReason(Path.Combine(output, "flags.jsonl")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static SortedDictionary<string, long> FlagsByReason(string flagsPath)
    {
        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (File.Exists(flagsPath))
        {
            foreach (var line in File.ReadLines(flagsPath))
            {
                using var flag = JsonDocument.Parse(line);
                var reason = flag.RootElement.GetProperty("reason").GetString() ?? "?";
                byReason[reason] = byReason.GetValueOrDefault(reason) + 1;
            }
        }

        return byReason;
    }

    private static void Render(CliConsole console, ReplaySummary summary, SortedDictionary<string, long> flagsByReason)
    {
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, FormattableString value) => table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
        Row("events", $"{summary.Events:N0}");
        Row("dead letters", $"{summary.DeadLettered:N0}");
        Row("duplicates", $"{summary.Duplicates:N0}");
        Row("notifications", $"{summary.Notifications:N0}");
        Row("flags", $"{summary.Flags:N0}");
        foreach (var (reason, count) in flagsByReason)
        {
            Row($"  {reason}", $"{count:N0}");
        }

        // Profiles: a "players similar to ..." row goes here once profiles.jsonl is among the outputs.
        Row("stages", $"{(summary.Stages.Count == 0 ? "(none registered)" : string.Join(", ", summary.Stages))}");
        Row("throughput", $"{summary.EventsPerSecond:N0} events/s ({summary.ElapsedSeconds:F1} s)");
        Row("latency p50 / p99", $"{summary.LatencyMs.P50:F1} / {summary.LatencyMs.P99:F1} ms");
        Row("latency p99.9 / p99.97", $"{summary.LatencyMs.P999:F1} / {summary.LatencyMs.P9997:F1} ms");
        Row("peak working set", $"{summary.PeakWorkingSetBytes / (1024 * 1024):N0} MiB");

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Out),
            Ansi = console.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = console.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        ansi.Write(table);
    }
}
