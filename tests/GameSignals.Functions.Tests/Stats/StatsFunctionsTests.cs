using GameSignals.Azure.Stats;
using GameSignals.Experiments;
using GameSignals.Functions.Stats;
using GameSignals.Pipeline;
using GameSignals.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Stats;

/// <summary>The stats admin functions and stages as the app composes them.</summary>
public sealed class StatsFunctionsTests
{
    private const string Settings = """
        { "peers": { "k": 10, "minPeers": 5, "cacheFor": "PT15M" },
          "moments": { "levels": [10, 20], "deathsInZone": { "count": 3, "window": "PT10M" }, "pvpLossStreak": { "count": 3 } },
          "experiment": { "id": "smart-stats-1", "treatmentShare": 0.5 } }
        """;

    [Fact]
    public void The_app_runs_the_stats_and_experiment_stages_after_the_profile_stage_over_the_Cosmos_stores()
    {
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Equal(["notifications", "fraud", "profiles", "stats", "experiments"], provider.GetServices<IEventStage>().Select(s => s.Name));
        Assert.IsType<CosmosStatsSettingsStore>(provider.GetRequiredService<IStatsSettingsStore>());
        Assert.IsType<CosmosExperimentResultsStore>(provider.GetRequiredService<IExperimentResultsStore>());
        Assert.IsType<CosmosWouldHaveReceivedStore>(provider.GetRequiredService<IWouldHaveReceivedStore>());
    }

    [Fact]
    public async Task Settings_are_validated_whole_saved_with_an_ETag_and_read_back()
    {
        using var provider = Compose();
        var functions = ActivatorUtilities.CreateInstance<StatsFunctions>(provider);

        var refused = await functions.PutSettingsAsync(
            Request("""{ "peers": { "k": 0 }, "moments": { "deathsInZone": { "count": 1, "window": "P30D" } }, "experiment": { "id": "x", "treatmentShare": 2 } }""", method: "PUT"), "odin");
        var errors = Errors(refused);
        Assert.Equal(
            ["experiment.treatmentShare", "moments.deathsInZone.count", "moments.deathsInZone.window", "peers.k", "peers.minPeers"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(StatusCodes.Status404NotFound, Problem(await functions.GetSettingsAsync(Request(), "odin"), StatusCodes.Status404NotFound).Status);

        var created = await functions.PutSettingsAsync(Request(Settings, method: "PUT"), "odin");
        Assert.Equal(10, Json(created, StatusCodes.Status201Created).GetProperty("peers").GetProperty("k").GetInt32());
        Assert.Equal(StatusCodes.Status428PreconditionRequired, Problem(await functions.PutSettingsAsync(Request(Settings, method: "PUT"), "odin"), StatusCodes.Status428PreconditionRequired).Status);
        var read = Json(await functions.GetSettingsAsync(Request(), "odin"));
        Assert.Equal("smart-stats-1", read.GetProperty("experiment").GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_experiment_is_answered_summed_over_partitions_and_a_player_with_their_arm()
    {
        using var provider = Compose();
        var functions = ActivatorUtilities.CreateInstance<StatsFunctions>(provider);
        await provider.GetRequiredService<IStatsSettingsStore>().SaveAsync("odin", StatsSettingsLoader.ParseGame(System.Text.Encoding.UTF8.GetBytes(Settings)), null, CancellationToken.None);
        var counts = provider.GetRequiredService<IExperimentResultsStore>();
        var asOf = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        foreach (var partition in new[] { "0", "1" })
        {
            await counts.UpsertAsync(new ExperimentPartitionCounts("odin", "smart-stats-1", "game-events", partition,
                new ArmCounts { Enrolled = 50, D1Eligible = 50, D1Returned = 30, D7Eligible = 40, D7Returned = 18 },
                new ArmCounts { Enrolled = 50, D1Eligible = 50, D1Returned = 25, D7Eligible = 40, D7Returned = 10 }, asOf), CancellationToken.None);
        }

        await counts.UpsertAsync(new ExperimentPartitionCounts("odin", "smart-stats-1", "payment-events", "0",
            new ArmCounts { Payers = 12 }, new ArmCounts { Payers = 8 }, asOf), CancellationToken.None);

        var results = Json(await functions.GetExperimentAsync(Request(), "odin", "smart-stats-1"));
        var d7 = results.GetProperty("treatment").GetProperty("d7Retention");
        Assert.Equal((36, 80), (d7.GetProperty("count").GetInt32(), d7.GetProperty("of").GetInt32()));
        Assert.Equal(1.8, results.GetProperty("d7Ratio").GetDouble()); // 45% against 25%
        Assert.Equal((12, 100), (results.GetProperty("treatment").GetProperty("conversion").GetProperty("count").GetInt32(), results.GetProperty("treatment").GetProperty("conversion").GetProperty("of").GetInt32()));
        Assert.Equal(3, results.GetProperty("partitions").GetInt32());
        Assert.Equal(StatusCodes.Status404NotFound, Problem(await functions.GetExperimentAsync(Request(), "odin", "other"), StatusCodes.Status404NotFound).Status);
        Assert.Equal(StatusCodes.Status400BadRequest, Problem(await functions.GetExperimentAsync(Request(), "odin", "bad/id"), StatusCodes.Status400BadRequest).Status);

        var player = Json(await functions.GetPlayerAsync(Request(), "odin", "u1"));
        Assert.Equal(ExperimentArms.Name(ExperimentArms.Of("smart-stats-1", "u1", 0.5)), player.GetProperty("arm").GetString());
        Assert.Equal(0, player.GetProperty("wouldHaveReceived").GetArrayLength());
    }

    private static ServiceProvider Compose()
    {
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration());
        services.UseEmbeddedStores();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
