using System.Globalization;
using System.Text.Json;
using GameSignals.Experiments;

namespace GameSignals.Cli.Tests;

/// <summary>Stats among similar players in <c>replay</c>, over the hand-made <see cref="StatsStream"/>.</summary>
public sealed class StatsReplayTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Replay_writes_stats_notifications_for_treatment_would_have_received_for_control_arms_and_results()
    {
        var output = Path.Combine(_root, "out");

        var (code, _, error) = await CliRun.RunAsync(
            ["replay", "--events", StatsStream.Events(_root), "--config", StatsStream.Config(_root), "--out", output, "--partitions", "1", "--batch-size", "10"]);

        Assert.True(code == 0, error);
        var arms = Lines(output, "experiment-arms.jsonl");
        Assert.Equal(StatsStream.Players, arms.Count);
        Assert.All(arms, a => Assert.Equal(
            ExperimentArms.Name(ExperimentArms.Of("smart-stats-1", a.GetProperty("userId").GetString()!, 0.5)), a.GetProperty("arm").GetString()));
        var treated = arms.Where(a => a.GetProperty("arm").GetString() == "treatment").Select(a => a.GetProperty("userId").GetString()).ToHashSet();

        // Each treated player gets the third death's message, with its explanation; control players' are recorded apart.
        var sent = Lines(output, "notifications.jsonl");
        Assert.Equal(treated, sent.Select(n => n.GetProperty("userId").GetString()).ToHashSet());
        Assert.All(sent, n =>
        {
            Assert.Equal("stats-deaths", n.GetProperty("ruleId").GetString());
            var explanation = n.GetProperty("explanation");
            Assert.Equal(("moment.deaths_in_zone", 5, 5), (explanation.GetProperty("moment").GetString(), explanation.GetProperty("k").GetInt32(), explanation.GetProperty("peers").GetInt32()));
            var pvp = explanation.GetProperty("features")[0];
            Assert.Equal("pvpMatchesPerDay", pvp.GetProperty("feature").GetString());
            Assert.Equal(
                string.Create(CultureInfo.InvariantCulture, $"More matches than {pvp.GetProperty("percentile").GetDouble():0}% of 5 players like you"),
                n.GetProperty("body").GetString());
        });
        var wouldHave = Lines(output, "would-have-received.jsonl");
        Assert.Equal(StatsStream.Players - treated.Count, wouldHave.Count);
        Assert.All(wouldHave, w =>
        {
            Assert.Equal("smart-stats-1", w.GetProperty("experimentId").GetString());
            Assert.DoesNotContain(w.GetProperty("notification").GetProperty("userId").GetString(), treated);
            Assert.Equal(5, w.GetProperty("notification").GetProperty("explanation").GetProperty("k").GetInt32());
        });

        // Every player had one moment; each cost a look-up, and the cache saved none here (one moment a player).
        var stats = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json"))).RootElement.GetProperty("stats");
        Assert.Equal(
            (StatsStream.Players, sent.Count, wouldHave.Count, 0, StatsStream.Players),
            (stats.GetProperty("moments").GetInt32(), stats.GetProperty("sent").GetInt32(), stats.GetProperty("wouldHaveReceived").GetInt32(),
                stats.GetProperty("noPeers").GetInt32(), stats.GetProperty("peerLookups").GetInt32()));

        // D1: the even players came back; every player's day 1 is over by day 2.
        var results = Assert.Single(Lines(output, "experiment-results.jsonl"));
        foreach (var arm in new[] { "treatment", "control" })
        {
            var players = arms.Where(a => a.GetProperty("arm").GetString() == arm).Select(a => a.GetProperty("userId").GetString()!).ToList();
            var d1 = results.GetProperty(arm).GetProperty("d1Retention");
            Assert.Equal(players.Count, results.GetProperty(arm).GetProperty("enrolled").GetInt32());
            Assert.Equal(
                (players.Count(u => int.Parse(u[1..], CultureInfo.InvariantCulture) % 2 == 0), players.Count),
                (d1.GetProperty("count").GetInt32(), d1.GetProperty("of").GetInt32()));
            Assert.Equal(0, results.GetProperty(arm).GetProperty("d7Retention").GetProperty("of").GetInt32());
        }
    }

    [Fact]
    public async Task Under_store_faults_and_crashed_instances_nothing_is_sent_or_recorded_twice_or_lost()
    {
        var (events, config) = (StatsStream.Events(_root), StatsStream.Config(_root));
        string[] shape = ["--partitions", "1", "--batch-size", "10"];
        var clean = Path.Combine(_root, "clean");
        var faulty = Path.Combine(_root, "faulty");

        var first = await CliRun.RunAsync(["replay", "--events", events, "--config", config, "--out", clean, .. shape]);
        var second = await CliRun.RunAsync(["replay", "--events", events, "--config", config, "--out", faulty, .. shape, "--fault-rate", "0.05", "--crash-every", "3"]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(File.ReadAllText(Path.Combine(clean, "experiment-arms.jsonl")), File.ReadAllText(Path.Combine(faulty, "experiment-arms.jsonl")));
        Assert.Equal(Ids(clean, "notifications.jsonl", n => n), Ids(faulty, "notifications.jsonl", n => n));
        Assert.Equal(Ids(clean, "would-have-received.jsonl", w => w.GetProperty("notification")), Ids(faulty, "would-have-received.jsonl", w => w.GetProperty("notification")));
        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(faulty, "summary.json"))).RootElement.GetProperty("reliability");
        Assert.True(summary.GetProperty("crashes").GetInt32() > 0, "no instance crashed");
    }

    [Fact]
    public async Task Without_statistics_yet_no_stats_notification_is_sent_and_each_moment_is_counted()
    {
        var output = Path.Combine(_root, "out");

        // One batch a partition for the whole stream: the first renormalisation would come after it.
        var (code, _, error) = await CliRun.RunAsync(
            ["replay", "--events", StatsStream.Events(_root), "--config", StatsStream.Config(_root), "--out", output, "--batch-size", "5000"]);

        Assert.True(code == 0, error);
        Assert.Empty(File.ReadAllLines(Path.Combine(output, "notifications.jsonl")));
        Assert.Empty(File.ReadAllLines(Path.Combine(output, "would-have-received.jsonl")));
        var stats = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json"))).RootElement.GetProperty("stats");
        Assert.Equal((StatsStream.Players, StatsStream.Players, 0), (stats.GetProperty("moments").GetInt32(), stats.GetProperty("noPeers").GetInt32(), stats.GetProperty("sent").GetInt32()));
        Assert.Equal(StatsStream.Players, File.ReadAllLines(Path.Combine(output, "experiment-arms.jsonl")).Length);
    }

    [Fact]
    public async Task Bad_stats_settings_are_exit_2_naming_the_field()
    {
        var config = StatsStream.Config(_root);
        File.WriteAllText(Path.Combine(config, "stats.json"), """{ "games": { "odin": { "peers": { "k": 0 } } } }""");

        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", StatsStream.Events(_root), "--config", config, "--out", Path.Combine(_root, "out")]);

        Assert.Equal(2, code);
        Assert.Contains("games.odin.peers.k", error, StringComparison.Ordinal);
    }

    /// <summary>The notification ids of a file, each once: a second line with an id would be a duplicate.</summary>
    private static List<string> Ids(string directory, string file, Func<JsonElement, JsonElement> notification)
    {
        var ids = Lines(directory, file).Select(line => notification(line).GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    private static List<JsonElement> Lines(string directory, string file) =>
        [.. File.ReadAllLines(Path.Combine(directory, file)).Select(l => JsonDocument.Parse(l).RootElement)];
}
