using System.Text;
using FsCheck.Xunit;
using GameSignals.Admin.Http;
using GameSignals.Experiments;
using GameSignals.Functions.Stats;
using GameSignals.Functions.Tests.Http;
using GameSignals.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Stats;

/// <summary>The stats admin functions under hostile input: an answer, or a refusal that changed nothing.</summary>
public sealed class StatsFunctionsFuzzTests
{
    private static readonly byte[] ValidSettings = Encoding.UTF8.GetBytes("""
        { "peers": { "k": 10 }, "moments": { "deathsInZone": { "count": 3, "window": "PT10M" } }, "experiment": { "id": "smart-stats-1", "treatmentShare": 0.5 } }
        """);

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Saving_settings_answers_them_or_a_refusal_that_changed_nothing(RouteValue game, HostileBody body, IfMatchValue ifMatch)
    {
        await using var app = await SeededAppAsync();
        var store = app.GetRequiredService<IStatsSettingsStore>();
        var gameId = game.Or("odin");
        var before = (await store.GetAsync(gameId, CancellationToken.None))?.ETag;
        var request = Request(body.For(ValidSettings), body.DeclaresLength, ifMatch: ifMatch.Header(before is null ? null : ETags.ToHeader(before)));

        var status = HostileInput.StatusOf(
            await ActivatorUtilities.CreateInstance<StatsFunctions>(app).PutSettingsAsync(request, gameId),
            [StatusCodes.Status200OK, StatusCodes.Status201Created], [.. HostileInput.RefusalStatuses, StatusCodes.Status428PreconditionRequired]);

        // Settings exist for odin, so without If-Match the answer is 428.
        if (game.Hostile is null && body.IsValid && ifMatch.IsValid)
        {
            Assert.Equal(ifMatch.Current ? StatusCodes.Status200OK : StatusCodes.Status428PreconditionRequired, status);
        }

        if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, (await store.GetAsync(gameId, CancellationToken.None))?.ETag);
        }
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Reading_settings_an_experiment_or_a_player_answers_them_or_a_refusal(RouteValue game, RouteValue experiment, RouteValue user)
    {
        await using var app = await SeededAppAsync();
        var functions = ActivatorUtilities.CreateInstance<StatsFunctions>(app);
        var (gameId, experimentId, userId) = (game.Or("odin"), experiment.Or("smart-stats-1"), user.Or("u1"));
        int[] answers = [StatusCodes.Status200OK];
        int[] refusals = [.. HostileInput.RefusalStatuses, StatusCodes.Status404NotFound];

        var settings = HostileInput.StatusOf(await functions.GetSettingsAsync(Request(), gameId), answers, refusals);
        var results = HostileInput.StatusOf(await functions.GetExperimentAsync(Request(), gameId, experimentId), answers, refusals);
        var player = HostileInput.StatusOf(await functions.GetPlayerAsync(Request(), gameId, userId), answers, refusals);

        // A hostile value may still be a valid id of an unknown game (404) or player (200): only valid ones must be answered.
        Assert.True(game.Hostile is not null || settings == StatusCodes.Status200OK);
        Assert.True(game.Hostile is not null || experiment.Hostile is not null || results == StatusCodes.Status200OK);
        Assert.True(game.Hostile is not null || user.Hostile is not null || player == StatusCodes.Status200OK);
    }

    /// <summary>The app with odin's stats settings and one partition's counts of its experiment.</summary>
    private static async Task<ServiceProvider> SeededAppAsync()
    {
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration());
        services.UseEmbeddedStores();
        var app = services.BuildServiceProvider();
        await app.GetRequiredService<IStatsSettingsStore>().SaveAsync("odin", StatsSettingsLoader.ParseGame(ValidSettings), null, CancellationToken.None);
        await app.GetRequiredService<IExperimentResultsStore>().UpsertAsync(
            new ExperimentPartitionCounts("odin", "smart-stats-1", "game-events", "0", new ArmCounts { Enrolled = 3 }, new ArmCounts { Enrolled = 2 }, DateTimeOffset.UnixEpoch),
            CancellationToken.None);
        return app;
    }
}
