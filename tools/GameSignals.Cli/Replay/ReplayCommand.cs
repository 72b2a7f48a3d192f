using System.CommandLine;
using System.Globalization;
using GameSignals.Cli.Accuracy;

namespace GameSignals.Cli.Replay;

/// <summary><c>replay --events FILE [--events FILE ...] --config DIR --out DIR</c> (contract §6), its tuning options and <c>--truth</c>.</summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var events = new Option<string[]>("--events") { Description = "JSON Lines file of CloudEvents, plain or .gz; repeat for several", Required = true, Arity = ArgumentArity.OneOrMore };
        var config = new Option<string>("--config") { Description = "directory with rules.json, fraud.json and ipranges/", Required = true };
        var output = new Option<string>("--out") { Description = "directory receiving the output files and summary.json", Required = true };
        var partitions = new Option<int>("--partitions") { Description = "simulated partitions per hub", DefaultValueFactory = _ => 4 };
        var batchSize = new Option<int>("--batch-size") { Description = "events per partition batch", DefaultValueFactory = _ => 100 };
        var order = new Option<string>("--order") { Description = "interleaved: partitions take turns; held-back: one partition lags to the end", DefaultValueFactory = _ => "interleaved" };
        order.AcceptOnlyFromAmong("interleaved", "held-back");
        var heldBack = new Option<int>("--held-back-partition") { Description = "the lagging partition of --order held-back", DefaultValueFactory = _ => 0 };
        var stages = new Option<string>("--stages") { Description = "all: every capability; none: decode, dead letters and dedupe only (a baseline)", DefaultValueFactory = _ => "all" };
        stages.AcceptOnlyFromAmong("all", "none");
        var maxWait = new Option<int>("--max-wait-ms") { Description = "a partial batch is processed once its oldest event has waited this long", DefaultValueFactory = _ => ReplayComposition.DefaultMaxWaitMilliseconds };
        Positive(maxWait);
        var duplicateWindow = new Option<TimeSpan>("--duplicate-window")
        {
            Description = "ISO 8601 duration each partition remembers an event's key, in event time; duplicates further apart are not caught",
            DefaultValueFactory = _ => ReplayComposition.DefaultDuplicateWindow,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                try
                {
                    return System.Xml.XmlConvert.ToTimeSpan(text);
                }
                catch (FormatException)
                {
                    result.AddError($"--duplicate-window {text} is not an ISO 8601 duration such as PT1H or P7D");
                    return default;
                }
            },
        };
        Positive(partitions);
        Positive(batchSize);
        var faultRate = new Option<double>("--fault-rate") { Description = "share of store calls that fail as in Azure (429, 503, timeouts, lost races), 0 to 0.5; outputs must not change", DefaultValueFactory = _ => 0 };
        faultRate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 0.5 or double.NaN)
            {
                result.AddError("--fault-rate must be between 0 and 0.5");
            }
        });
        var crashEvery = new Option<int>("--crash-every") { Description = "the host instance dies in the middle of every Nth batch and a new one takes over; 0 for never", DefaultValueFactory = _ => 0 };
        NotNegative(crashEvery);
        var faultSeed = new Option<int>("--fault-seed") { Description = "seed of the injected faults and crash points", DefaultValueFactory = _ => 1 };
        var truth = new Option<string>("--truth") { Description = "truth.json of a generated stream: compare the outputs with it, exit 1 if anything is missing or extra" };

        var command = new Command("replay", "Run event files through the processing pipeline with embedded stores.")
        {
            events, config, output, partitions, batchSize, order, heldBack, stages, maxWait, duplicateWindow, faultRate, crashEvery, faultSeed, truth,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ReplayOptions(
                parse.GetRequiredValue(events), parse.GetRequiredValue(config), parse.GetRequiredValue(output),
                parse.GetValue(partitions), parse.GetValue(batchSize),
                parse.GetValue(order) == "held-back" ? ReplayOrder.HeldBack : ReplayOrder.Interleaved,
                parse.GetValue(heldBack), parse.GetValue(stages) == "all")
            {
                MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(maxWait)),
                DuplicateWindow = parse.GetValue(duplicateWindow),
                FaultRate = parse.GetValue(faultRate),
                CrashEvery = parse.GetValue(crashEvery),
                FaultSeed = parse.GetValue(faultSeed),
            };
            if (options.HeldBackPartition < 0 || options.HeldBackPartition >= options.Partitions)
            {
                throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--held-back-partition {options.HeldBackPartition} is not one of the partitions 0..{options.Partitions - 1}"));
            }

            // Read before the replay, so that a bad truth file costs no replay.
            var expected = parse.GetValue(truth) is { } truthPath ? TruthFile.Read(truthPath) : null;
            var summary = await ReplayRunner.RunAsync(options, console, ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Events:N0} events, {summary.DeadLettered:N0} dead-lettered, {summary.Duplicates:N0} duplicates, {summary.Notifications:N0} notifications, {summary.Flags:N0} flags in {summary.ElapsedSeconds:F1} s ({summary.EventsPerSecond:N0} events/s); output in {options.OutDirectory}")).ConfigureAwait(false);
            if (expected is null)
            {
                return GameSignalsCli.Success;
            }

            var accuracy = AccuracyReport.Compare(expected, options.OutDirectory, summary);
            accuracy.Render(console);
            return accuracy.Accurate ? GameSignalsCli.Success : GameSignalsCli.Failed;
        });
        return command;
    }

    /// <summary>Rejects negative values of an option where 0 means none.</summary>
    public static void NotNegative(Option<int> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{option.Name} must be 0 or more");
            }
        });
    }

    /// <summary>Rejects zero and negative values of a count option.</summary>
    public static void Positive(Option<int> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{option.Name} must be at least 1");
            }
        });
    }
}
