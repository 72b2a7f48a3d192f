using System.Text.Json;
using GameSignals.Tests;

namespace GameSignals.Cli.Tests;

/// <summary>Outputs depend on the stream only: not on partition count, nor on a partition lagging behind.</summary>
public sealed class ReplayOrderTests : IDisposable
{
    private static readonly string[] Counts = ["events", "deadLettered", "duplicates", "notifications", "flags"];

    private readonly string _root = CliRun.TempDirectory();

    private async Task<string> ReplayAsync(string name, params string[] extra)
    {
        var output = Path.Combine(_root, name);
        var (code, _, error) = await CliRun.RunAsync(
            ["replay", "--events", ExampleReplayFixture.EventsPath, "--config", SharedFiles.Examples, "--out", output, .. extra]);
        Assert.True(code == 0, error);
        return output;
    }

    /// <summary>Every output file but the summary, each with its lines sorted; and the summary's counts.</summary>
    private static Dictionary<string, string> Outputs(string directory)
    {
        var files = Directory.GetFiles(directory, "*.jsonl").ToDictionary(
            path => Path.GetFileName(path.AsSpan()).ToString(),
            path => string.Join('\n', File.ReadAllLines(path).Order(StringComparer.Ordinal)),
            StringComparer.Ordinal);
        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "summary.json"))).RootElement;
        files["summary counts"] = string.Join(',', Counts.Select(p => summary.GetProperty(p).GetInt64()));
        return files;
    }

    [Fact]
    public async Task A_held_back_partition_gives_the_same_outputs_as_interleaved_partitions()
    {
        var interleaved = Outputs(await ReplayAsync("interleaved"));
        var heldBack = Outputs(await ReplayAsync("held-back", "--order", "held-back", "--held-back-partition", "2"));

        Assert.Contains("deadletter.jsonl", interleaved.Keys);
        Assert.Equal(interleaved, heldBack);
    }

    [Fact]
    public async Task One_partition_gives_the_same_outputs_as_four()
    {
        var four = Outputs(await ReplayAsync("four", "--partitions", "4", "--batch-size", "64"));
        var one = Outputs(await ReplayAsync("one", "--partitions", "1", "--batch-size", "100"));

        Assert.Equal(four, one);
    }

    [Fact]
    public async Task A_ledger_retention_shorter_than_the_gap_between_copies_lets_those_duplicates_through()
    {
        var forgetful = Outputs(await ReplayAsync("forgetful", "--ledger-retention", "PT1S"));

        var duplicates = long.Parse(forgetful["summary counts"].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duplicates, 1, 97);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
