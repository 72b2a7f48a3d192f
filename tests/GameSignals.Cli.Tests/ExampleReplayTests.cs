using System.Text.Json;

namespace GameSignals.Cli.Tests;

/// <summary>
/// The comparison test: replay of <c>tests/data/examples</c> against <c>expected.json</c>. The
/// notification, flag and profile checks switch on by themselves once those capabilities register
/// their replay outputs; until then they check that nothing claims to have produced any.
/// </summary>
public sealed class ExampleReplayTests(ExampleReplayFixture replay) : IClassFixture<ExampleReplayFixture>
{
    private static readonly string[] NotificationKey = ["ruleId", "eventId", "userId", "title", "body"];
    private static readonly string[] FlagKey = ["reason", "eventId", "userId"];
    private static readonly string[] Percentiles = ["p50", "p99", "p99.9", "p99.97"];

    [Fact]
    public void Replay_of_the_example_succeeds_and_counts_every_line_as_an_event()
    {
        Assert.Equal(0, replay.ExitCode);
        Assert.Equal(replay.Expected.GetProperty("events").GetInt64(), replay.Summary.GetProperty("events").GetInt64());
        Assert.True(replay.Summary.GetProperty("eventsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public void The_seven_poison_lines_are_dead_lettered_with_their_reasons_and_line_numbers()
    {
        var letters = replay.Output("deadletter.jsonl")!;

        Assert.Equal(replay.Expected.GetProperty("poison").GetInt32(), letters.Count);
        Assert.Equal(letters.Count, replay.Summary.GetProperty("deadLettered").GetInt32());
        Assert.Equal(
            [(4482L, "invalid_json"), (4483L, "missing_attribute"), (4484L, "unsupported_specversion"), (4485L, "wrong_type"),
             (4486L, "invalid_time"), (4487L, "too_large"), (4488L, "not_an_object")],
            letters.Select(l => (l.GetProperty("line").GetInt64(), l.GetProperty("reason").GetString()!)));
        Assert.All(letters, l => Assert.Equal(ExampleReplayFixture.EventsPath, l.GetProperty("file").GetString()));
        Assert.Equal("p-2", letters[1].GetProperty("eventId").GetString());
        Assert.False(letters[0].TryGetProperty("eventId", out _));
    }

    [Fact]
    public void The_duplicated_events_are_counted_once_each()
    {
        Assert.Equal(replay.Expected.GetProperty("duplicates").GetInt32(), replay.Summary.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public void The_notifications_are_exactly_the_expected_ones()
    {
        var notifications = replay.Output("notifications.jsonl");
        Assert.NotNull(notifications);

        static string Key(JsonElement n) => string.Join('|', NotificationKey.Select(p => n.GetProperty(p).GetString()));
        Assert.Equal(
            replay.Expected.GetProperty("notifications").EnumerateArray().Select(Key).Order(StringComparer.Ordinal),
            notifications.Select(Key).Order(StringComparer.Ordinal));
        Assert.Equal(notifications.Count, replay.Summary.GetProperty("notifications").GetInt32());
    }

    [Fact]
    public void The_fraud_flags_are_exactly_the_expected_ones()
    {
        var flags = replay.Output("flags.jsonl");
        Assert.NotNull(flags);

        static string Key(JsonElement f) => string.Join('|', FlagKey.Select(p => f.GetProperty(p).GetString()));
        Assert.Equal(
            replay.Expected.GetProperty("flags").EnumerateArray().Select(Key).Order(StringComparer.Ordinal),
            flags.Select(Key).Order(StringComparer.Ordinal));
        Assert.Equal(flags.Count, replay.Summary.GetProperty("flags").GetInt32());
    }

    [Fact]
    public void Every_generated_player_has_a_profile_with_a_vector()
    {
        var profiles = replay.Output("profiles.jsonl");
        Assert.NotNull(profiles);
        Assert.All(profiles, p => Assert.True(p.GetProperty("vector").GetArrayLength() > 0));

        var users = profiles.Select(p => p.GetProperty("userId").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.All(replay.Expected.GetProperty("clusters").EnumerateObject(), player => Assert.Contains(player.Name, users));
    }

    [Theory]
    [InlineData("odin", "pvp_grinder")]
    [InlineData("odin", "whale")]
    [InlineData("ares", "dungeon_runner")]
    [InlineData("ares", "trader")]
    [InlineData("odin", "casual")]
    public async Task Similar_finds_mostly_players_of_the_examples_archetype(string game, string archetype)
    {
        var players = replay.Output("profiles.jsonl")!
            .Where(p => p.GetProperty("gameId").GetString() == game)
            .Select(p => p.GetProperty("userId").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
        var clusters = replay.Expected.GetProperty("clusters");
        var sameArchetype = clusters.EnumerateObject()
            .Where(c => c.Value.GetString() == archetype && players.Contains(c.Name))
            .Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var examples = sameArchetype.Take(3).ToList();
        Assert.Equal(3, examples.Count);

        var (exit, output, error) = await CliRun.RunAsync(["similar", "--state", replay.OutDirectory, "--game", game, "--examples", string.Join(',', examples), "--k", "10"]);

        Assert.True(exit == 0, error);
        var found = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(r => r.GetProperty("userId").GetString()!).ToList();
        Assert.Equal(10, found.Count);
        Assert.DoesNotContain(found, examples.Contains);
        var precision = found.Count(u => clusters.TryGetProperty(u, out var a) && a.GetString() == archetype) / 10.0;
        Assert.True(precision >= 0.7, $"{archetype} in {game}: precision@10 {precision}: {string.Join(", ", found)}");
    }

    [Fact]
    public async Task Similar_with_an_unknown_example_is_a_usage_error_naming_it()
    {
        var (exit, _, error) = await CliRun.RunAsync(["similar", "--state", replay.OutDirectory, "--game", "odin", "--examples", "nobody-42"]);

        Assert.Equal(2, exit);
        Assert.Contains("nobody-42", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_reports_latency_percentiles_in_order_and_the_run_shape()
    {
        var latency = replay.Summary.GetProperty("latencyMs");
        var percentiles = Percentiles.Select(p => latency.GetProperty(p).GetDouble()).ToList();
        Assert.True(percentiles[0] > 0);
        Assert.Equal(percentiles.Order(), percentiles);
        Assert.Equal(4, replay.Summary.GetProperty("partitions").GetInt32());
        Assert.Equal(100, replay.Summary.GetProperty("batchSize").GetInt32());
        Assert.True(replay.Summary.GetProperty("peakWorkingSetBytes").GetInt64() > 0);
    }

    [Fact]
    public void The_summary_reports_the_runs_cpu_and_the_jits_part_of_it()
    {
        var cpu = replay.Summary.GetProperty("cpu");
        var (process, jit) = (cpu.GetProperty("processSeconds").GetDouble(), cpu.GetProperty("jitSeconds").GetDouble());
        Assert.True(jit > 0, "a run compiles its methods");
        Assert.True(process >= jit, $"the JIT's {jit} s are part of the process's {process} s");
        Assert.True(cpu.GetProperty("jitMethods").GetInt64() > 0);
    }
}
