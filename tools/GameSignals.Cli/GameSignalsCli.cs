using System.CommandLine;
using System.Runtime.CompilerServices;
using Azure.Messaging.EventHubs.Producer;
using GameSignals.Cli.Demo;
using GameSignals.Cli.Generate;
using GameSignals.Cli.LiveConsole;
using GameSignals.Cli.PushListener;
using GameSignals.Cli.Ranges;
using GameSignals.Cli.Replay;
using GameSignals.Cli.Send;
using GameSignals.Cli.Similar;
using Microsoft.Extensions.Options;

namespace GameSignals.Cli;

/// <summary>
/// The <c>gamesignals</c> command line. Exit codes: 0 success, 1 a run that completed with failures
/// (e.g. events that could not be sent), 2 bad arguments or unreadable input, with one line on stderr.
/// </summary>
internal static class GameSignalsCli
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <param name="producerFor">Replaces the Event Hubs producers of <c>send</c> (tests); null for the real ones.</param>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken, Func<string, EventHubProducerClient>? producerFor = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("GameSignals offline tools: replay event files through the processing pipeline, find similar players, generate synthetic streams, send them to Event Hubs, receive the app's webhook pushes, check IP range publications, serve the live-ops console.")
        {
            ReplayCommand.Create(console),
            GenerateCommand.Create(console),
            SendCommand.Create(console, producerFor),
            SimilarCommand.Create(console),
            DemoCommand.Create(console),
            PushListenerCommand.Create(console),
            RangesCommand.Create(console),
            ConsoleCommand.Create(console),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await console.Error.WriteLineAsync($"gamesignals: {parsed.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return UsageError;
        }

        if (!RuntimeFeature.IsDynamicCodeSupported && parsed.CommandResult.Command.Name is "console" or "send")
        {
            // The native build (tools/publish-native.sh) is checked for the replay family; the console's ASP.NET Core and
            // the Event Hubs client are not, and their libraries warn that parts of them need the JIT.
            var name = parsed.CommandResult.Command.Name;
            await console.Error.WriteLineAsync(
                $"gamesignals: {name} needs the JIT build of the CLI (dotnet run --project tools/GameSignals.Cli -c Release -- {name} ...); this native build runs replay, generate, demo, similar, ranges and push-listener").ConfigureAwait(false);
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliUsageException or IOException or UnauthorizedAccessException)
        {
            // IOException: a file that became unreadable or unwritable after the up-front checks.
            await console.Error.WriteLineAsync($"gamesignals: {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return UsageError;
        }
        catch (OptionsValidationException ex)
        {
            // A value the pipeline's options refuse (a duplicate window under a second): named as the options name it.
            await console.Error.WriteLineAsync($"gamesignals: {string.Join("; ", ex.Failures).ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return UsageError;
        }
        catch (ReplayStoppedException ex)
        {
            await console.Error.WriteLineAsync($"gamesignals: replay stopped: {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return Failed;
        }
    }
}
