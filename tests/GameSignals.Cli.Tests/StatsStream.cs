using System.Globalization;

namespace GameSignals.Cli.Tests;

/// <summary>
/// A hand-made stream with stats moments and its config: thirty odin players start a session on day 0 and play PvP (one
/// to five matches), the even ones come back on day 1, and on day 2 each dies three times in the forest; odin compares
/// players with their 5 nearest peers (at least 3) and runs experiment <c>smart-stats-1</c> at one half.
/// </summary>
internal static class StatsStream
{
    public const int Players = 30;

    public static string Config(string root)
    {
        var config = Path.Combine(root, "config");
        Directory.CreateDirectory(Path.Combine(config, "ipranges"));
        File.WriteAllText(Path.Combine(config, "rules.json"), """
            { "rules": [ { "id": "stats-deaths", "gameId": "odin", "eventType": "moment.deaths_in_zone", "cooldown": "PT1H", "channels": ["inbox"],
              "templates": { "en": { "title": "Tough fight in {data.zone}", "body": "More matches than {peers.pvpMatchesPerDay.percentile}% of {peers.k} players like you" } } } ] }
            """);
        File.WriteAllText(Path.Combine(config, "fraud.json"), """{ "games": {} }""");
        File.WriteAllText(Path.Combine(config, "stats.json"), """
            { "games": { "odin": {
              "peers": { "k": 5, "minPeers": 3, "cacheFor": "PT15M" },
              "moments": { "deathsInZone": { "count": 3, "window": "PT10M" } },
              "experiment": { "id": "smart-stats-1", "treatmentShare": 0.5 } } } }
            """);
        return config;
    }

    /// <summary>The stream; <paramref name="extraMatches"/> more PvP matches per player on days 0 and 1 make batches of 100 fill before day 2.</summary>
    public static string Events(string root, int extraMatches = 0)
    {
        var lines = new List<string>();
        var day0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        void Add(string id, string user, DateTimeOffset time, string type, string data) => lines.Add(string.Create(CultureInfo.InvariantCulture, $$"""
            {"specversion":"1.0","id":"{{id}}","source":"/games/odin/kr-01","type":"{{type}}","time":"{{time:yyyy-MM-dd'T'HH:mm:ss'Z'}}","gameid":"odin","userid":"{{user}}","data":{{data}}}
            """));
        for (var i = 0; i < Players; i++)
        {
            var user = $"p{i:D2}";
            var start = day0.AddMinutes(i);
            Add($"{user}-s0", user, start, "game.session.started", """{"platform":"pc","locale":"en-US","deviceId":"d"}""");
            for (var m = 0; m <= (i % 5) + extraMatches; m++)
            {
                Add($"{user}-m{m}", user, start.AddMinutes(m + 1), "game.pvp.match_ended", """{"result":"win","rating":1500}""");
            }

            Add($"{user}-e0", user, start.AddMinutes(30), "game.session.ended", """{"durationSeconds":1800}""");
        }

        for (var i = 0; i < Players; i++)
        {
            for (var m = 0; m < extraMatches; m++)
            {
                Add($"p{i:D2}-n{m}", $"p{i:D2}", day0.AddDays(1).AddHours(2).AddMinutes(i + m), "game.pvp.match_ended", """{"result":"loss","rating":1500}""");
            }
        }

        for (var i = 0; i < Players; i += 2)
        {
            Add($"p{i:D2}-s1", $"p{i:D2}", day0.AddDays(1).AddMinutes(i), "game.session.started", """{"platform":"pc","locale":"en-US","deviceId":"d"}""");
        }

        for (var i = 0; i < Players; i++)
        {
            for (var d = 0; d < 3; d++)
            {
                Add($"p{i:D2}-d{d}", $"p{i:D2}", day0.AddDays(2).AddHours(1).AddMinutes(i + d), "game.character.died", """{"zone":"forest","cause":"monster"}""");
            }
        }

        var path = Path.Combine(root, "events.jsonl");
        File.WriteAllLines(path, lines.OrderBy(l => l.Split("\"time\":\"")[1][..20], StringComparer.Ordinal));
        return path;
    }
}
