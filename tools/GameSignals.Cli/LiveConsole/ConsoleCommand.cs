using System.CommandLine;
using System.Globalization;
using GameSignals.Cli.Replay;
using GameSignals.Events;
using GameSignals.Profiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace GameSignals.Cli.LiveConsole;

/// <summary>
/// <c>console --config DIR --events FILE [--port 7391]</c>: loads the config, replays the events into the embedded
/// stores, refreshes every game's profile statistics, then serves the admin API and the console on 127.0.0.1
/// until stopped (Ctrl+C).
/// </summary>
internal static class ConsoleCommand
{
    public const int DefaultPort = 7391;

    public static Command Create(CliConsole console)
    {
        var config = new Option<string>("--config") { Description = "directory with rules.json, fraud.json and ipranges/", Required = true };
        var events = new Option<string[]>("--events") { Description = "JSON Lines file of CloudEvents, plain or .gz; repeat for several", Required = true, Arity = ArgumentArity.OneOrMore };
        var port = new Option<int>("--port") { Description = "port on 127.0.0.1", DefaultValueFactory = _ => DefaultPort };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                result.AddError("--port must be from 1 to 65535");
            }
        });
        var command = new Command("console", "Serve the live-ops console and the admin API over the replayed events, on 127.0.0.1.") { config, events, port };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await StartAsync(parse.GetRequiredValue(config), parse.GetRequiredValue(events), parse.GetValue(port), console, ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"console: {app.Urls.First()}/api/console/rules (Ctrl+C stops it)")).ConfigureAwait(false);
            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            return GameSignalsCli.Success;
        });
        return command;
    }

    /// <summary>Loads, replays and starts the host; the caller stops it.</summary>
    public static async Task<WebApplication> StartAsync(string configDirectory, IReadOnlyList<string> eventFiles, int port, CliConsole console, CancellationToken cancellationToken)
    {
        var configuration = ReplayConfiguration.Load(configDirectory);
        var options = new ReplayOptions(eventFiles, configDirectory, OutDirectory: "", Partitions: 4, BatchSize: 100, ReplayOrder.Interleaved, HeldBackPartition: 0, WithStages: true);
        var stores = ReplayStores.Load(configuration, withStages: true, options.DuplicateWindow, new InMemoryRecentEvents());
        await ReplayRunner.ReplayIntoAsync(stores, options, console, cancellationToken).ConfigureAwait(false);

        // Similarity needs each game's statistics, which Azure's timer refreshes hourly.
        var indexer = new ProfileIndexer(stores.Profiles, stores.Statistics, stores.Index);
        foreach (var game in stores.Profiles.GameIds)
        {
            await indexer.RefreshGameAsync(game, cancellationToken).ConfigureAwait(false);
        }

        var games = stores.Profiles.GameIds;
        var app = ConsoleHost.Build(stores, games.Count > 0 ? games[0] : "odin", port);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
