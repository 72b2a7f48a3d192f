using System.Text.Json;

namespace GameSignals.Cli.Tests;

/// <summary>One replay of the contract's example stream, shared by the tests that check its outputs.</summary>
public sealed class ExampleReplayFixture : IAsyncLifetime
{
    public static string EventsPath => Path.Combine(RepositoryFiles.Examples, "events.jsonl");

    public string OutDirectory { get; } = CliRun.TempDirectory();

    public int ExitCode { get; private set; }

    public JsonElement Summary { get; private set; }

    public JsonElement Expected { get; } = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Examples, "expected.json"))).RootElement;

    public async Task InitializeAsync()
    {
        (ExitCode, _, _) = await CliRun.RunAsync(["replay", "--events", EventsPath, "--config", RepositoryFiles.Examples, "--out", OutDirectory]);
        Summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(OutDirectory, "summary.json"))).RootElement;
    }

    /// <summary>The lines of an output file as JSON, or null when no registered capability wrote it.</summary>
    public List<JsonElement>? Output(string fileName)
    {
        var path = Path.Combine(OutDirectory, fileName);
        return File.Exists(path) ? [.. File.ReadLines(path).Select(line => JsonDocument.Parse(line).RootElement)] : null;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(OutDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
