using System.Globalization;
using System.Text.Json;

namespace GameSignals.Cli.Tests;

/// <summary>Rule states in <c>replay</c>: shadow rules write <c>shadow-notifications.jsonl</c> apart, off rules nothing.</summary>
public sealed class ShadowReplayTests : IDisposable
{
    private const string Templates = """ "channels": ["push", "inbox"], "templates": { "en": { "title": "HP low", "body": "{characterid} {data.hp}" } } """;

    private readonly string _root = CliRun.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Shadow_rules_write_their_own_file_and_count_and_off_rules_write_nothing()
    {
        var config = Config($$"""
            { "rules": [
              { "id": "low-hp", "gameId": "odin", "eventType": "game.character.hp_changed", "condition": "data.hp * 5 < data.maxHp",
                "cooldown": "PT5M", "cooldownKey": "characterid", {{Templates}} },
              { "id": "low-hp-v2", "gameId": "odin", "eventType": "game.character.hp_changed", "condition": "data.hp * 4 < data.maxHp",
                "cooldown": "PT5M", "cooldownKey": "characterid", "state": "shadow", "shadowOf": "low-hp", {{Templates}} },
              { "id": "any-hp", "gameId": "odin", "eventType": "game.character.hp_changed", "state": "off", {{Templates}} }
            ] }
            """);
        var events = Events(
            ("e1", "c1", 100, 0), // both rules
            ("e2", "c1", 100, 1), // both held back by their cooldowns
            ("e3", "c2", 900, 2), // the candidate only
            ("e4", "c3", 3000, 3), // neither
            ("e1", "c1", 100, 0)); // a duplicate
        var output = Path.Combine(_root, "out");

        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", events, "--config", config, "--out", output]);

        Assert.True(code == 0, error);
        var notifications = Lines(output, "notifications.jsonl");
        var shadow = Lines(output, "shadow-notifications.jsonl");
        Assert.Equal([("low-hp", "e1")], notifications.Select(n => (n.GetProperty("ruleId").GetString(), n.GetProperty("eventId").GetString())));
        Assert.Equal([("low-hp-v2", "e1"), ("low-hp-v2", "e3")], shadow.Select(n => (n.GetProperty("ruleId").GetString(), n.GetProperty("eventId").GetString())));
        Assert.Equal(
            ["id", "ruleId", "gameId", "userId", "characterId", "eventId", "time", "priority", "channels", "locale", "title", "body"],
            shadow[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("c2 900", shadow[1].GetProperty("body").GetString());
        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json"))).RootElement;
        Assert.Equal((1, 2, 1), (summary.GetProperty("notifications").GetInt32(), summary.GetProperty("shadowNotifications").GetInt32(), summary.GetProperty("duplicates").GetInt32()));
        Assert.Equal(2, summary.GetProperty("outputs").GetProperty("shadow-notifications.jsonl").GetInt32());
        Assert.Equal(1, summary.GetProperty("reliability").GetProperty("pushRequests").GetProperty("sent").GetInt32());
    }

    [Theory]
    [InlineData("\"state\": \"paused\"", "rules[0].state")]
    [InlineData("\"state\": \"shadow\", \"shadowOf\": \"missing\"", "rules[0].shadowOf")]
    public async Task A_bad_state_or_candidate_in_rules_json_is_exit_2_naming_it(string fields, string field)
    {
        var config = Config($$"""
            { "rules": [ { "id": "r", "gameId": "odin", "eventType": "game.character.hp_changed", {{fields}}, {{Templates}} } ] }
            """);

        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", Events(("e1", "c1", 100, 0)), "--config", config, "--out", Path.Combine(_root, "out")]);

        Assert.Equal(2, code);
        Assert.Contains(field, error, StringComparison.Ordinal);
    }

    private string Config(string rules)
    {
        var config = Path.Combine(_root, "config");
        Directory.CreateDirectory(Path.Combine(config, "ipranges"));
        File.WriteAllText(Path.Combine(config, "rules.json"), rules);
        File.WriteAllText(Path.Combine(config, "fraud.json"), """{ "games": {} }""");
        return config;
    }

    /// <summary>hp_changed events of player u1 in game odin (max HP 4000), a minute apart by the given minute.</summary>
    private string Events(params (string Id, string Character, int Hp, int Minute)[] events)
    {
        var path = Path.Combine(_root, "events.jsonl");
        File.WriteAllLines(path, events.Select(e => string.Create(CultureInfo.InvariantCulture, $$$"""
            {"specversion":"1.0","id":"{{{e.Id}}}","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:{{{e.Minute:00}}}:00Z","gameid":"odin","userid":"u1","characterid":"{{{e.Character}}}","data":{"hp":{{{e.Hp}}},"maxHp":4000,"autoBattle":true,"inCombat":true,"zone":"z"}}
            """)));
        return path;
    }

    private static List<JsonElement> Lines(string directory, string file) =>
        [.. File.ReadAllLines(Path.Combine(directory, file)).Select(l => JsonDocument.Parse(l).RootElement)];
}
