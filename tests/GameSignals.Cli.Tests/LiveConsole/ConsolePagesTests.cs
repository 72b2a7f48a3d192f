using System.Globalization;
using System.Text;
using System.Text.Json;
using GameSignals.Events;
using GameSignals.Experiments;
using Microsoft.Playwright;

namespace GameSignals.Cli.Tests.LiveConsole;

/// <summary>Each console page's main task, done in the browser as an operator would, over the example data.</summary>
public sealed class ConsolePagesTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string LowHp = """{"specversion":"1.0","id":"t-1","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:01:06Z","gameid":"odin","userid":"u1-00116","characterid":"u1-00116-c0","data":{"hp":12,"maxHp":1600,"autoBattle":true}}""";
    private const string HighHp = """{"specversion":"1.0","id":"t-2","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:02:06Z","gameid":"odin","userid":"u1-00116","characterid":"u1-00116-c0","data":{"hp":1200,"maxHp":1600,"autoBattle":true}}""";

    [SkippableFact]
    public async Task A_rule_built_in_the_form_shows_its_dry_run_and_a_bad_condition_points_at_its_position()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/rules?game=odin");
        await page.GetByLabel("Rule id").FillAsync("low-hp-test");
        await page.GetByLabel("Event type").SelectOptionAsync("game.character.hp_changed");
        await page.GetByLabel("Field").FillAsync("data.hp");
        await page.GetByLabel("Comparison").SelectOptionAsync("<");
        await page.GetByLabel("Value").FillAsync("20");
        await page.GetByLabel("Sample events").FillAsync(LowHp + "\n" + HighHp);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview and dry run" }).ClickAsync();

        var table = page.Locator("#dry-run-table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        Assert.Equal("data.hp < 20", await page.GetByLabel("Condition in CEL").InputValueAsync());
        Assert.Equal(["match", "no match"], await table.Locator("tbody td:nth-child(2)").AllInnerTextsAsync());
        Assert.Contains("HP at 12", await table.InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Condition in CEL").FillAsync("data.hp <<< 20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview and dry run" }).ClickAsync();
        await Assertions.Expect(page.Locator("#cel-error pre")).ToContainTextAsync("^");
    }

    [SkippableFact]
    public async Task A_rule_is_dry_run_against_the_last_events_of_a_player_and_a_stranger_has_none()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/rules?game=odin");
        await page.GetByLabel("Rule id").FillAsync("hp-above");
        await page.GetByLabel("Event type").SelectOptionAsync("game.character.hp_changed");
        await page.GetByLabel("Field").FillAsync("data.hp");
        await page.GetByLabel("Comparison").SelectOptionAsync(">");
        await page.GetByLabel("Value").FillAsync("1200");
        await page.GetByLabel("Or the last events of player").FillAsync("u1-00116");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run on the player's last events" }).ClickAsync();

        // u1-00116's replayed hp_changed events have hp 1294, 1023, 1415, 1076 and 1266; its other events are of other types.
        var table = page.Locator("#dry-run-table");
        await Assertions.Expect(table).ToBeVisibleAsync();
        var outcomes = await table.Locator("tbody td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal((3, 2), (outcomes.Count(o => o == "match"), outcomes.Count(o => o == "no match")));
        Assert.All(outcomes.Where(o => o is not "match" and not "no match"), o => Assert.Equal("other type", o));
        Assert.Contains("\"userid\":\"u1-00116\"", await page.GetByLabel("Sample events").InputValueAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "rules");

        await page.GetByLabel("Or the last events of player").FillAsync("nobody-here");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run on the player's last events" }).ClickAsync();
        await Assertions.Expect(page.Locator("#dry-run")).ToHaveTextAsync("No recent events of nobody-here.");
    }

    [SkippableFact]
    public async Task A_rule_switched_to_shadow_shows_shadow_and_its_history_names_the_change()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/rules?game=odin");
        await page.GetByLabel("State of low-hp-auto").SelectOptionAsync("shadow");
        await page.Locator("tr[data-rule='low-hp-auto'] button[data-action='set-state']").ClickAsync();

        await Assertions.Expect(page.Locator("tr[data-rule='low-hp-auto'] .badge")).ToHaveTextAsync("shadow");
        await page.Locator("tr[data-rule='low-hp-auto'] button[data-action='rule-history']").ClickAsync();
        await Assertions.Expect(page.Locator("#rule-history")).ToContainTextAsync("state changed");
        using var rule = JsonDocument.Parse(await (await page.APIRequest.GetAsync(url + "/api/games/odin/rules/low-hp-auto")).TextAsync());
        Assert.Equal("shadow", rule.RootElement.GetProperty("state").GetString());
    }

    [SkippableFact]
    public async Task A_resolved_flag_leaves_the_open_list_and_keeps_the_review()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/flags?game=odin&reason=device.farm");
        var first = page.Locator("article.flag").First;
        var flagId = await first.GetAttributeAsync("data-flag");
        Assert.Contains("distinct devices from", await first.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "flags");
        await first.GetByLabel("Comment").FillAsync("confirmed device farm");
        await first.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();

        await Assertions.Expect(page.Locator($"article[data-flag='{flagId}']")).ToHaveCountAsync(0);
        using var flag = JsonDocument.Parse(await (await page.APIRequest.GetAsync($"{url}/api/games/odin/flags/{flagId}")).TextAsync());
        Assert.Equal(("resolved", "confirmed device farm"), (flag.RootElement.GetProperty("status").GetString(), flag.RootElement.GetProperty("comment").GetString()));
    }

    [SkippableFact]
    public async Task A_blocklisted_range_is_reported_for_an_address_inside_it()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/blocklist?game=odin");
        await page.GetByLabel("Entry id").FillAsync("test-range");
        await page.GetByLabel("Range or AS number").FillAsync("198.51.100.0/24");
        await page.GetByLabel("Reason").FillAsync("credential stuffing");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-entry='test-range']")).ToBeVisibleAsync();

        await page.GetByLabel("IPv4 or IPv6 address").FillAsync("198.51.100.7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ip-facts")).ToContainTextAsync("Blocked by test-range: 198.51.100.0/24, credential stuffing");
        await ConsoleBrowser.ScreenshotAsync(page, "blocklist");
    }

    [SkippableFact]
    public async Task Players_similar_to_examples_are_listed_with_the_features_they_share_and_a_player_is_charted_among_peers()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;

        await page.GotoAsync(url + "/api/console/players?game=odin");
        await page.GetByLabel("Example players").FillAsync("u1-00100, u1-00110");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find similar players" }).ClickAsync();
        var rows = page.Locator("#similar-table tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        Assert.Equal(10, await rows.CountAsync());
        Assert.DoesNotContain("u1-00100", await page.Locator("#similar-table tbody th").AllInnerTextsAsync());

        await page.GetByLabel("Player", new() { Exact = true }).FillAsync("u1-00100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show standing, inbox and experiment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#peers-table tbody tr").First).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "players");
    }

    [SkippableFact]
    public async Task A_players_stats_notifications_are_explained_and_their_experiment_arm_and_results_are_shown()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var root = Directory.CreateTempSubdirectory("gamesignals-console-stats-").FullName;
        try
        {
            var (app, page, url) = await browser.OpenAsync(configDirectory: StatsStream.Config(root), events: StatsStream.Events(root, extraMatches: 10));
            await using var _ = app;
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            string? treated = null;
            foreach (var user in Enumerable.Range(0, StatsStream.Players).Select(i => $"p{i:D2}").Where(u => ExperimentArms.Of("smart-stats-1", u, 0.5) == Arm.Treatment))
            {
                using var inbox = JsonDocument.Parse(await http.GetStringAsync($"/api/games/odin/players/{user}/inbox"));
                if (inbox.RootElement.GetProperty("items").GetArrayLength() > 0)
                {
                    treated = user;
                    break;
                }
            }

            Assert.NotNull(treated);
            await page.GotoAsync($"{url}/api/console/players?game=odin&user={treated}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Show standing, inbox and experiment" }).ClickAsync();

            await Assertions.Expect(page.Locator("#inbox-result .why").First).ToContainTextAsync("moment.deaths_in_zone, compared with 5 of k=5 peers");
            await Assertions.Expect(page.Locator("#inbox-result .why").First).ToContainTextAsync("pvpMatchesPerDay");
            await Assertions.Expect(page.Locator("#player-arm")).ToContainTextAsync("treatment arm of smart-stats-1");
            var arms = await page.Locator("#experiment-table tbody th").AllInnerTextsAsync();
            Assert.Equal(["treatment", "control"], arms);
            await ConsoleBrowser.ScreenshotAsync(page, "players-stats");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData("rules")]
    [InlineData("flags")]
    [InlineData("blocklist")]
    [InlineData("players")]
    [InlineData("health")]
    public async Task Every_page_fits_a_390_px_phone_without_sideways_scrolling_and_labels_every_field(string name)
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync(width: 390);
        await using var _ = app;

        await page.GotoAsync($"{url}/api/console/{name}?game=odin");

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), $"{name} scrolls sideways at 390 px");
        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name)");
        Assert.Empty(unlabelled);
    }

    [SkippableFact]
    public async Task The_health_page_counts_the_dead_letters_of_the_replay_beside_the_dependencies()
    {
        Skip.IfNot(File.Exists(ConsoleBrowser.Chromium), "chromium is not installed (.ci/run installs it)");
        var (app, page, url) = await browser.OpenAsync();
        await using var _ = app;
        var poisonLines = File.ReadLines(Path.Combine(RepositoryFiles.Examples, "events.jsonl")).Count(line =>
        {
            var deadLetters = new List<DeadLetter>();
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), new MessageOrigin("game-events", "0", 0, "0", null), new List<GameEvent>(), deadLetters);
            return deadLetters.Count > 0;
        });

        await page.GotoAsync(url + "/api/console/health?game=odin");

        Assert.True(poisonLines > 0, "the example stream has poison lines");
        await Assertions.Expect(page.Locator("#dead-letters")).ToHaveTextAsync(poisonLines.ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#push-poison")).ToHaveTextAsync("none: no push is sent here");
        await Assertions.Expect(page.Locator("#health-result")).ToContainTextAsync("Overall");
        await Assertions.Expect(page.Locator("#range-refresh")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$"));
        await ConsoleBrowser.ScreenshotAsync(page, "health");
    }
}
