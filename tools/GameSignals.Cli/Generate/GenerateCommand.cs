using System.CommandLine;
using System.Globalization;
using GameSignals.Cli.Replay;

namespace GameSignals.Cli.Generate;

/// <summary><c>generate --seed S --users N --events M --out DIR [--poison-rate R] [--duplicate-rate R] [--gzip]</c>: the stream, its configuration and its truth.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliConsole console)
    {
        var seed = new Option<ulong>("--seed") { Description = "the same seed writes the same bytes", DefaultValueFactory = _ => 1 };
        var users = new Option<int>("--users") { Description = "number of players", DefaultValueFactory = _ => 10_000 };
        var events = new Option<int>("--events") { Description = "number of lines to write (events, poison and duplicates)", DefaultValueFactory = _ => 100_000 };
        var output = new Option<string>("--out") { Description = "directory receiving events.jsonl, its config (rules.json, fraud.json, ipranges/) and truth.json", Required = true };
        var poisonRate = new Option<double>("--poison-rate") { Description = "share of poison lines", DefaultValueFactory = _ => 0.001 };
        var duplicateRate = new Option<double>("--duplicate-rate") { Description = "share of lines that resend a recent event", DefaultValueFactory = _ => 0.01 };
        var gzip = new Option<bool>("--gzip") { Description = "write events.jsonl.gz" };
        ReplayCommand.Positive(users);
        ReplayCommand.Positive(events);

        var command = new Command("generate", "Write a deterministic synthetic event stream and the configuration it needs.")
        {
            seed, users, events, output, poisonRate, duplicateRate, gzip,
        };
        command.Validators.Add(result =>
        {
            var poison = result.GetValue(poisonRate);
            var duplicate = result.GetValue(duplicateRate);
            if (poison < 0 || duplicate < 0 || poison + duplicate > 0.5)
            {
                result.AddError("--poison-rate and --duplicate-rate must be at least 0 and together at most 0.5");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var options = new GenerateOptions(
                parse.GetValue(seed), parse.GetValue(users), parse.GetValue(events), parse.GetRequiredValue(output),
                parse.GetValue(poisonRate), parse.GetValue(duplicateRate), parse.GetValue(gzip));
            var result = await GenerateAsync(options, console).ConfigureAwait(false);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"wrote {result.Lines:N0} lines ({result.Poison:N0} poison, {result.Duplicates:N0} duplicates) to {result.EventsPath}, and what they must produce to {result.TruthPath}")).ConfigureAwait(false);
            return GameSignalsCli.Success;
        });
        return command;
    }

    public static Task<GenerateResult> GenerateAsync(GenerateOptions options, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        return console.RunWithProgressAsync("generate", options.Events, "lines", report =>
        {
            try
            {
                return Task.FromResult(StreamGenerator.Run(options, report));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"cannot write to {options.OutDirectory}: {ex.Message}", ex);
            }
        });
    }
}
