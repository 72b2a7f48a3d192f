using System.Text.Json;
using System.Text.RegularExpressions;

namespace GameSignals.Cli.Tests;

/// <summary>
/// Every window adds to or subtracts from event time. Logins and purchases at the first and last accepted
/// instants go through every stage, and times beyond them are dead-lettered: neither stops a partition.
/// </summary>
public sealed partial class EdgeOfTimeTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();

    [GeneratedRegex("\"time\":\"[^\"]+\"")]
    private static partial Regex Time();

    [GeneratedRegex("\"id\":\"([^\"]+)\"")]
    private static partial Regex Id();

    [Fact]
    public async Task Events_at_the_edges_of_time_are_processed_and_those_beyond_are_dead_lettered()
    {
        var examples = File.ReadLines(ExampleReplayFixture.EventsPath)
            .Where(line => line.Contains("\"game.session.started\"", StringComparison.Ordinal) || line.Contains("\"payment.purchase.completed\"", StringComparison.Ordinal))
            .Take(40)
            .ToList();
        var times = new[] { "1970-01-01T00:00:00Z", "8999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z" };
        var lines = times.SelectMany(time => examples.Select(line =>
            Id().Replace(Time().Replace(line, $"\"time\":\"{time}\"", 1), $"\"id\":\"{time}-$1\"", 1)));
        var events = Path.Combine(_root, "edges.jsonl");
        await File.WriteAllLinesAsync(events, lines);

        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", events, "--config", RepositoryFiles.Examples, "--out", Path.Combine(_root, "out")]);

        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_root, "out", "summary.json"))).RootElement;
        Assert.Equal(examples.Count * 2, summary.GetProperty("deadLettered").GetInt32());
        var deadLetters = File.ReadAllLines(Path.Combine(_root, "out", "deadletter.jsonl"));
        Assert.All(deadLetters, d => Assert.Contains("\"reason\":\"invalid_time\"", d, StringComparison.Ordinal));
        Assert.True(summary.GetProperty("flags").GetInt32() > 0, "no login or purchase at the edges reached the fraud stage");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
