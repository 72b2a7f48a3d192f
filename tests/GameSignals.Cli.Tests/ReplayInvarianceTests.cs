using System.Text.Json;

namespace GameSignals.Cli.Tests;

/// <summary>
/// Outputs depend on the stream only: not on partition count, a partition lagging behind, store faults, or host
/// instances dying mid-batch (issue 9: nothing lost, nothing doubled).
/// </summary>
public sealed class ReplayInvarianceTests(ExampleReplayFixture example) : IClassFixture<ExampleReplayFixture>, IDisposable
{
    private static readonly string[] Counts = ["events", "deadLettered", "duplicates", "notifications", "flags"];

    private readonly string _root = CliRun.TempDirectory();

    private async Task<string> ReplayAsync(string name, params string[] extra)
    {
        var output = Path.Combine(_root, name);
        var (code, _, error) = await CliRun.RunAsync(
            ["replay", "--events", ExampleReplayFixture.EventsPath, "--config", RepositoryFiles.Examples, "--out", output, .. extra]);
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
        var forgetful = Outputs(await ReplayAsync("forgetful", "--duplicate-window", "PT1S"));

        var duplicates = long.Parse(forgetful["summary counts"].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(duplicates, 1, 97);
    }

    [Theory]
    [InlineData("--fault-rate", "0.05")]
    [InlineData("--fault-rate", "0.05", "--order", "held-back", "--held-back-partition", "1", "--fault-seed", "7")]
    public async Task Store_faults_at_five_percent_change_no_output(params string[] faults)
    {
        var faulty = await ReplayAsync("faults", faults);

        Assert.Equal(Outputs(example.OutDirectory), Outputs(faulty));
        var injected = Reliability(faulty).GetProperty("faultsInjected");
        foreach (var kind in new[] { "throttled", "unavailable", "timeoutBeforeWrite", "timeoutAfterWrite", "lostRace" })
        {
            Assert.True(injected.GetProperty(kind).GetInt64() > 0, $"no {kind} fault was injected");
        }

        AssertEveryMessageSent(Reliability(faulty));
    }

    [Theory]
    [InlineData("--crash-every", "3")]
    [InlineData("--crash-every", "2", "--order", "held-back", "--held-back-partition", "2")]
    [InlineData("--crash-every", "2", "--fault-rate", "0.05", "--order", "held-back", "--held-back-partition", "3", "--batch-size", "37")]
    public async Task Host_instances_dying_mid_batch_change_no_output(params string[] crashes)
    {
        var crashed = await ReplayAsync("crashes", crashes);

        Assert.Equal(Outputs(example.OutDirectory), Outputs(crashed));
        var reliability = Reliability(crashed);
        Assert.True(reliability.GetProperty("crashes").GetInt64() > 10, "too few crashes to prove anything");
        Assert.True(reliability.GetProperty("redeliveredEvents").GetInt64() > 0, "no crash came after a batch's ledger write");
        AssertEveryMessageSent(reliability);
    }

    /// <summary>Every notification to push has a push request, every block flag its action (repeats are allowed: at least once).</summary>
    private static void AssertEveryMessageSent(JsonElement reliability)
    {
        foreach (var messages in new[] { "pushRequests", "fraudActions" })
        {
            var summary = reliability.GetProperty(messages);
            Assert.True(summary.GetProperty("expected").GetInt64() > 0, $"no {messages} expected");
            Assert.Equal(summary.GetProperty("expected").GetInt64(), summary.GetProperty("covered").GetInt64());
            Assert.True(summary.GetProperty("sent").GetInt64() >= summary.GetProperty("covered").GetInt64());
        }
    }

    private static JsonElement Reliability(string directory) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "summary.json"))).RootElement.GetProperty("reliability");

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
