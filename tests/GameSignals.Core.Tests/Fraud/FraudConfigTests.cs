using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GameSignals.Fraud;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GameSignals.Tests.Fraud;

public sealed class FraudConfigTests
{
    [Fact]
    public void The_example_settings_load_into_a_policy_per_game()
    {
        var policies = FraudConfigLoader.Load(File.ReadAllBytes(Path.Combine(RepositoryFiles.Examples, "fraud.json")));

        Assert.Equal(["ares", "odin"], policies.Keys.Order().ToList());
        var odin = policies["odin"];
        Assert.True(odin.BlockCloudProviders);
        Assert.False(policies["ares"].BlockCloudProviders);
        Assert.Equal((20, TimeSpan.FromMinutes(10)), (odin.MaxDevicesPerIp, odin.DeviceFarmWindow));
        Assert.Equal(0.99m, odin.Catalog["gem_100"]["USD"]);
        Assert.Equal("com.example.odin", odin.GooglePlayPackageName);
        Assert.Single(odin.AppStoreRoots);
        Assert.Equal(FlagSeverity.Review, odin.SeverityOf(FraudReasons.DeviceFarm));
        Assert.Equal(FlagSeverity.Block, odin.SeverityOf(FraudReasons.ReceiptReplay));
    }

    [Fact]
    public void Validation_lists_every_problem_by_field()
    {
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var document = FraudHarness.ExampleConfig(game =>
        {
            game["deviceFarm"] = new JsonObject { ["maxDevicesPerIp"] = 0, ["window"] = "-PT10M" };
            game["currencies"]!["google_play"]!.AsArray().Add("XYZ");
            game["currencies"]!["steam"] = new JsonArray("USD");
            game["catalog"]!["gem_100"]!["KRW"] = 0;
            game["catalog"]!["gem_100"]!["ABC"] = 1;
            game["clientSignatures"]!["ios"]!.AsArray().Add("not-a-hash");
            game["googlePlay"]!["publicKey"] = Convert.ToBase64String(ecKey.ExportSubjectPublicKeyInfo());
            game["appStore"]!["rootCertificates"] = new JsonArray("bm90IGEgY2VydGlmaWNhdGU=", "%%%");
            game["severities"] = new JsonObject { ["device.farm"] = "urgent", ["ip.unknown"] = "block" };
        });

        var fields = FraudConfigValidator.Validate("odin", document.Games["odin"]).Select(p => p.Field).Order().ToList();

        Assert.Equal(
            [
                "appStore.rootCertificates[0]", "appStore.rootCertificates[1]", "catalog.gem_100.ABC", "catalog.gem_100.KRW",
                "clientSignatures.ios[1]", "currencies.google_play[3]", "currencies.steam", "deviceFarm.maxDevicesPerIp",
                "deviceFarm.window", "googlePlay.publicKey", "severities.device.farm", "severities.ip.unknown",
            ],
            fields);
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("10 minutes")]
    [InlineData("")]
    public void A_device_farm_window_must_be_a_positive_iso_8601_duration(string window)
    {
        var document = FraudHarness.ExampleConfig(game => game["deviceFarm"]!["window"] = window);

        var problem = Assert.Single(FraudConfigValidator.Validate("odin", document.Games["odin"]));

        Assert.Equal("deviceFarm.window", problem.Field);
    }

    [Fact]
    public void Loading_a_whole_file_reports_problems_under_the_game_and_malformed_json_with_its_path()
    {
        var document = File.ReadAllText(Path.Combine(RepositoryFiles.Examples, "fraud.json")).Replace("\"KRW\": 1200", "\"KRW\": -5", StringComparison.Ordinal);

        var invalid = Assert.Throws<FraudConfigException>(() => FraudConfigLoader.Load(Encoding.UTF8.GetBytes(document)));
        var malformed = Assert.Throws<FraudConfigException>(() => FraudConfigLoader.Load("""{"games":{"odin":{"catalog":{"x":{"USD":"1"}}}}}"""u8));

        Assert.Equal(["games.ares.catalog.gem_100.KRW", "games.odin.catalog.gem_100.KRW"], invalid.Problems.Select(p => p.Field).Order().ToList());
        Assert.Equal("$.games.odin.catalog.x.USD", Assert.Single(malformed.Problems).Field);
    }

    [Fact]
    public async Task The_cache_picks_up_a_changed_setting_after_the_refresh_interval_and_keeps_the_last_good_one_over_an_invalid_one()
    {
        var harness = await FraudHarness.CreateAsync();
        var cache = new FraudConfigCache(
            harness.Configs, Options.Create(new FraudOptions { ConfigRefreshInterval = TimeSpan.FromSeconds(5) }), harness.Clock,
            NullLogger<FraudConfigCache>.Instance);
        Assert.Equal(20, (await cache.GetAsync("odin", CancellationToken.None))!.MaxDevicesPerIp);

        var changed = FraudHarness.ExampleConfig(game => game["deviceFarm"]!["maxDevicesPerIp"] = 3).Games["odin"];
        var current = (await harness.Configs.GetAsync("odin", CancellationToken.None))!;
        Assert.NotNull(await harness.Configs.SaveAsync("odin", changed, current.ETag, CancellationToken.None));
        harness.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(20, (await cache.GetAsync("odin", CancellationToken.None))!.MaxDevicesPerIp);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await cache.GetAsync("odin", CancellationToken.None))!.MaxDevicesPerIp);

        var invalid = FraudHarness.ExampleConfig(game => game["deviceFarm"]!["maxDevicesPerIp"] = 0).Games["odin"];
        await harness.Configs.SaveAsync("odin", invalid, null, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, (await cache.GetAsync("odin", CancellationToken.None))!.MaxDevicesPerIp);
        Assert.Null(await cache.GetAsync("unknown-game", CancellationToken.None));
    }

    [Fact]
    public async Task A_save_with_a_stale_etag_is_refused()
    {
        var store = new InMemoryFraudConfigStore();
        var config = FraudHarness.ExampleConfig().Games["odin"];
        var first = await store.SaveAsync("odin", config, null, CancellationToken.None);
        await store.SaveAsync("odin", config, first, CancellationToken.None);

        Assert.Null(await store.SaveAsync("odin", config, first, CancellationToken.None));
    }
}
