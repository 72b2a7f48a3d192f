using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GameSignals.Cli.Accuracy;
using GameSignals.Cli.Generate;
using GameSignals.Cli.Replay;
using GameSignals.Cli.Similar;
using Spectre.Console;

namespace GameSignals.Cli.Demo;

/// <summary>
/// <c>demo [--events 4850000] [--small] [--warm-up 20000]</c>: generates a stream into a temporary directory, replays
/// it, prints what came out and how it compares with what the generator planted (exit 1 when anything
/// is missing or extra). Needs nothing but the .NET SDK.
/// </summary>
/// <remarks>
/// Before the measured replay, a short stream of another seed runs through a pipeline of its own, and the generator's
/// garbage is collected: the demo's latency is that of a host that has run its first batches, as a function app
/// instance has within seconds of starting. Without it, the first batches waited on the JIT's first compile of
/// every method they met and on a blocking collection of what generating had left (115 to 190 ms for about a thousand
/// events, most of the 0.03% that the p99.97 allows). <c>--warm-up 0</c> measures from a cold start.
/// </remarks>
internal static class DemoCommand
{
    /// <summary>The origin platform's accuracy run: 4.85 million logs.</summary>
    public const int OriginEvents = 4_850_000;

    /// <summary>Events replayed before the measured run, enough for the stages' code to be compiled before it starts.</summary>
    public const int DefaultWarmUpEvents = 20_000;

    public static Command Create(CliConsole console)
    {
        var events = new Option<int>("--events") { Description = "lines to generate", DefaultValueFactory = _ => OriginEvents };
        var small = new Option<bool>("--small") { Description = "100,000 lines, for a quick look" };
        var seed = new Option<ulong>("--seed") { Description = "generator seed", DefaultValueFactory = _ => 1 };
        var warmUp = new Option<int>("--warm-up")
        {
            Description = "events of another seed replayed first and not measured, as a running host has; 0 to measure from a cold start",
            DefaultValueFactory = _ => DefaultWarmUpEvents,
        };
        ReplayCommand.Positive(events);
        ReplayCommand.NotNegative(warmUp);
        var command = new Command("demo", "Generate a synthetic stream, replay it, show the results and their accuracy against what the generator planted.") { events, small, seed, warmUp };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(small) ? 100_000 : parse.GetValue(events);
            var accurate = await RunAsync(count, parse.GetValue(seed), parse.GetValue(warmUp), console, ct).ConfigureAwait(false);
            return accurate ? GameSignalsCli.Success : GameSignalsCli.Failed;
        });
        return command;
    }

    /// <summary>True when the replay produced exactly what the generator planted.</summary>
    private static async Task<bool> RunAsync(int events, ulong seed, int warmUp, CliConsole console, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("gamesignals-demo-");
        try
        {
            var input = Path.Combine(directory.FullName, "input");
            var output = Path.Combine(directory.FullName, "out");
            var generated = await GenerateCommand.GenerateAsync(new GenerateOptions(seed, PlayersFor(events), events, input), console).ConfigureAwait(false);
            if (warmUp > 0)
            {
                await WarmUpAsync(Path.Combine(directory.FullName, "warm-up"), warmUp, seed + 1, cancellationToken).ConfigureAwait(false);
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var summary = await ReplayRunner.RunAsync(new ReplayOptions([generated.EventsPath], input, output), console, cancellationToken).ConfigureAwait(false);
            var similar = await SimilarAnswerAsync(output, cancellationToken).ConfigureAwait(false);
            Render(console, summary, similar, warmUp);
            var accuracy = AccuracyReport.Compare(TruthFile.Read(generated.TruthPath), output, summary);
            accuracy.Render(console);
            return accuracy.Accurate;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static int PlayersFor(int events) => Math.Max(100, events / 500);

    /// <summary>Generates and replays <paramref name="events"/> events of <paramref name="seed"/> under <paramref name="directory"/>, quietly.</summary>
    private static async Task WarmUpAsync(string directory, int events, ulong seed, CancellationToken cancellationToken)
    {
        var quiet = new CliConsole(TextWriter.Null, TextWriter.Null, interactive: false);
        var input = Path.Combine(directory, "input");
        var generated = await GenerateCommand.GenerateAsync(new GenerateOptions(seed, PlayersFor(events), events, input), quiet).ConfigureAwait(false);
        await ReplayRunner.RunAsync(new ReplayOptions([generated.EventsPath], input, Path.Combine(directory, "out")), quiet, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"Players similar to" the first three players of the first game in <c>profiles.jsonl</c>, top five.</summary>
    private static async Task<(string Question, string Answer)?> SimilarAnswerAsync(string output, CancellationToken cancellationToken)
    {
        var path = Path.Combine(output, "profiles.jsonl");
        if (!File.Exists(path))
        {
            return null;
        }

        var first = File.ReadLines(path).Take(3).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        if (first.Count < 3)
        {
            return null;
        }

        var game = first[0].GetProperty("gameId").GetString()!;
        var examples = first.Where(p => p.GetProperty("gameId").GetString() == game).Select(p => p.GetProperty("userId").GetString()!).ToList();
        var found = await SimilarCommand.FindAsync(output, game, examples, 5, cancellationToken).ConfigureAwait(false);
        return ($"players like {string.Join(", ", examples)} ({game})", string.Join(", ", found.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.UserId} {f.Score:F3}"))));
    }

    private static void Render(CliConsole console, ReplaySummary summary, (string Question, string Answer)? similar, int warmUp)
    {
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, FormattableString value) => table.AddRow(Markup.Escape(name), Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
        Row("events", $"{summary.Events:N0}");
        Row("dead letters", $"{summary.DeadLettered:N0}");
        Row("duplicates", $"{summary.Duplicates:N0}");
        Row("notifications", $"{summary.Notifications:N0}");
        Row("flags", $"{summary.Flags:N0}");

        if (similar is { } answer)
        {
            Row(answer.Question, $"{answer.Answer}");
        }

        Row("stages", $"{(summary.Stages.Count == 0 ? "(none registered)" : string.Join(", ", summary.Stages))}");
        Row("throughput", $"{summary.EventsPerSecond:N0} events/s ({summary.ElapsedSeconds:F1} s)");
        Row("latency p50 / p99", $"{summary.LatencyMs.P50:F1} / {summary.LatencyMs.P99:F1} ms");
        Row("latency p99.9 / p99.97", $"{summary.LatencyMs.P999:F1} / {summary.LatencyMs.P9997:F1} ms");
        Row("measured after", $"{(warmUp > 0 ? $"a warm-up of {warmUp:N0} events of another seed" : "a cold start (--warm-up 0)")}");
        // The tail follows the young generation's size, which the runtime reads from the environment only (docs/design.md),
        // and the native build not even there.
        Row("young generation", $"{(!RuntimeFeature.IsDynamicCodeSupported
            ? "runtime default (the native build reads no DOTNET_GCgen0size; the function app sets 0x1000000)"
            : Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 } size
                ? $"DOTNET_GCgen0size={size}"
                : "runtime default; the function app sets 0x1000000")}");
        // The native build collects the old generation blocking, for a long replay's throughput, which lengthens the tail.
        Row("old generation", $"{(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch
            ? "collected blocking (the native build; the function app collects it in the background)"
            : "collected in the background, as in the function app")}");
        Row("peak working set", $"{summary.PeakWorkingSetBytes / (1024 * 1024):N0} MiB");

        console.CreateAnsiConsole().Write(table);
    }
}
