using Azure.Messaging.EventHubs.Producer;

namespace GameSignals.Cli.Tests;

/// <summary>Runs the <c>gamesignals</c> command line in-process and captures what it writes.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string[] args, Func<string, EventHubProducerClient>? producerFor = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GameSignalsCli.RunAsync(args, new CliConsole(output, error, interactive: false), CancellationToken.None, producerFor);
        return (code, output.ToString(), error.ToString());
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("gamesignals-cli-tests-").FullName;
}
