using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GameSignals.Cli.Accuracy;
using GameSignals.Cli.Replay;

namespace GameSignals.Cli.Tests;

/// <summary>A generated stream replayed with <c>--truth</c> its truth.json.</summary>
public sealed class TruthReplayFixture : IDisposable
{
    public TruthReplayFixture()
    {
        Root = CliRun.TempDirectory();
        var (generated, _, generateError) = CliRun.RunAsync(["generate", "--seed", "11", "--users", "100", "--events", "10000", "--out", Stream]).GetAwaiter().GetResult();
        Assert.True(generated == 0, generateError);
        (ExitCode, Out, var error) = CliRun.RunAsync(["replay", "--events", EventsPath, "--config", Stream, "--out", Output, "--truth", TruthPath]).GetAwaiter().GetResult();
        Assert.True(ExitCode is 0 or 1, error);
    }

    public string Root { get; }

    public string Stream => Path.Combine(Root, "stream");

    public string EventsPath => Path.Combine(Stream, "events.jsonl");

    public string TruthPath => Path.Combine(Stream, "truth.json");

    public string Output => Path.Combine(Root, "out");

    public int ExitCode { get; }

    public string Out { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// The accuracy check of <c>demo</c> and <c>replay --truth</c>: a faithful replay is 100% with nothing
/// missing or extra; an output or a stream changed by one event is reported by rule or reason, and fails.
/// </summary>
public sealed class AccuracyTests(TruthReplayFixture replay) : IClassFixture<TruthReplayFixture>
{
    private static readonly string[] Reasons =
    [
        "client.tampered", "device.farm", "geo.country_mismatch", "ip.blocked_asn", "ip.blocked_range", "ip.cloud_provider",
        "payment.invalid_receipt", "payment.price_mismatch", "payment.receipt_replay", "payment.unregistered_currency",
    ];

    private static readonly string[] Rules = ["big-sale", "boss", "died-pve", "low-hp-auto"];

    /// <summary>The expected, produced, missing and extra columns of a row of the accuracy table.</summary>
    private static long[] Row(string output, string name)
    {
        var row = Regex.Match(output, $@"│\s+{Regex.Escape(name)}\s+│\s*([\d,]+)\s*│\s*([\d,]+)\s*│\s*([\d,]+)\s*│\s*([\d,]+)\s*│");
        Assert.True(row.Success, $"no row {name} in:\n{output}");
        return [.. Enumerable.Range(1, 4).Select(i => long.Parse(row.Groups[i].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task Demo_finds_every_planted_notification_and_flag_of_every_rule_and_reason_and_nothing_else()
    {
        var (code, output, error) = await CliRun.RunAsync(["demo", "--events", "20000", "--seed", "3"]);

        Assert.True(code == 0, error + output);
        var accuracy = Regex.Match(output, @"accuracy: ([\d,]+) of ([\d,]+) notifications, ([\d,]+) of ([\d,]+) flags \(100\.000%\)");
        Assert.True(accuracy.Success, output);
        Assert.Equal(accuracy.Groups[1].Value, accuracy.Groups[2].Value);
        Assert.Equal(accuracy.Groups[3].Value, accuracy.Groups[4].Value);
        foreach (var name in Rules.Concat(Reasons))
        {
            var row = Row(output, name);
            Assert.True(row[0] > 0, $"{name} planted nothing");
            Assert.Equal<long>([row[0], 0, 0], row[1..]);
        }

        Assert.Equal<long>([0, 0], Row(output, "dead letters (poison lines)")[2..]);
        Assert.Equal<long>([0, 0], Row(output, "duplicates (resent lines)")[2..]);
        Assert.Matches(@"│\s*measured after\s*│\s*a warm-up of 20,000 events of another seed\s*│", output);
    }

    [Fact]
    public async Task Demo_from_a_cold_start_says_so_and_is_as_accurate()
    {
        var (code, output, error) = await CliRun.RunAsync(["demo", "--events", "5000", "--warm-up", "0"]);

        Assert.True(code == 0, error + output);
        Assert.Matches(@"│\s*measured after\s*│\s*a cold start \(--warm-up 0\)\s*│", output);
        Assert.Matches(@"accuracy: ([\d,]+) of \1 notifications, ([\d,]+) of \2 flags \(100\.000%\)", output);
    }

    [Fact]
    public void Replay_with_its_truth_reports_100_percent_and_exits_0()
    {
        Assert.Equal(0, replay.ExitCode);
        Assert.Matches(@"accuracy: ([\d,]+) of \1 notifications, ([\d,]+) of \2 flags \(100\.000%\)", replay.Out);
    }

    [Fact]
    public void A_dropped_notification_and_an_added_flag_are_reported_as_missing_and_extra_by_rule_and_reason()
    {
        var altered = Path.Combine(replay.Root, "altered");
        Directory.CreateDirectory(altered);
        foreach (var file in Directory.GetFiles(replay.Output))
        {
            File.Copy(file, Path.Combine(altered, Path.GetFileName(file)));
        }

        var notifications = File.ReadAllLines(Path.Combine(altered, "notifications.jsonl"));
        var dropped = JsonDocument.Parse(notifications[0]).RootElement;
        var (rule, eventId) = (dropped.GetProperty("ruleId").GetString()!, dropped.GetProperty("eventId").GetString()!);
        File.WriteAllLines(Path.Combine(altered, "notifications.jsonl"), notifications[1..]);
        File.AppendAllLines(Path.Combine(altered, "flags.jsonl"),
            [$$$"""{"id":"added","reason":"client.tampered","severity":"block","gameId":"odin","userId":"u-000001","eventId":"{{{eventId}}}","time":"2026-11-01T12:00:01Z","evidence":{}}"""]);
        var summary = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(altered, "summary.json")), CliJsonContext.Default.ReplaySummary)!;

        var report = AccuracyReport.Compare(TruthFile.Read(replay.TruthPath), altered, summary);
        using var text = new StringWriter();
        report.Render(new CliConsole(text, TextWriter.Null, interactive: false));

        Assert.False(report.Accurate);
        foreach (var row in report.Notifications.Concat(report.Flags))
        {
            var expected = row.Name == rule ? (1L, 0L) : row.Name == "client.tampered" ? (0L, 1L) : (0L, 0L);
            Assert.Equal(expected, (row.Missing, row.Extra));
        }

        Assert.Contains($"missing {rule}: {eventId}", text.ToString(), StringComparison.Ordinal);
        Assert.Contains($"extra client.tampered: {eventId}", text.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"accuracy: ([\d,]+) of ([\d,]+) notifications, ([\d,]+) of \3 flags and 1 extra \(99\.\d{3}%\)", text.ToString());
    }

    [Fact]
    public async Task Replay_with_truth_exits_1_and_names_the_event_when_a_planted_death_no_longer_matches()
    {
        var truth = TruthFile.Read(replay.TruthPath);
        var death = truth.Notifications["died-pve"].Expected[0];
        var events = Path.Combine(replay.Root, "changed.jsonl");
        File.WriteAllLines(events, File.ReadLines(replay.EventsPath).Select(line =>
            line.Contains(death, StringComparison.Ordinal) ? Regex.Replace(line, "\"cause\":\"[a-z]+\"", "\"cause\":\"pvp\"") : line));

        var (code, output, error) = await CliRun.RunAsync(["replay", "--events", events, "--config", replay.Stream, "--out", Path.Combine(replay.Root, "changed-out"), "--truth", replay.TruthPath]);

        Assert.True(code == 1, error + output);
        var deaths = truth.Notifications["died-pve"].Expected.Count;
        Assert.Equal<long>([deaths, deaths - 1, 1, 0], Row(output, "died-pve"));
        Assert.Contains($"missing died-pve: {death}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_with_a_truth_file_that_does_not_exist_fails_with_exit_2_before_replaying()
    {
        var output = Path.Combine(replay.Root, "never");
        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", replay.EventsPath, "--config", replay.Stream, "--out", output, "--truth", Path.Combine(replay.Root, "nope.json")]);

        Assert.Equal(2, code);
        Assert.Contains("nope.json", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "summary.json")));
    }
}
