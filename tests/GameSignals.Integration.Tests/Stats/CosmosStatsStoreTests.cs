using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Stats;
using GameSignals.Experiments;
using GameSignals.Notifications;
using GameSignals.Profiles;
using GameSignals.Stats;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.Stats;

/// <summary>The Cosmos stores of stats among similar players against the stand-in, with the semantics of their in-memory twins.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosStatsStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosStatsSettingsStore _settings;
    private readonly CosmosExperimentResultsStore _counts;
    private readonly CosmosWouldHaveReceivedStore _wouldHaveReceived;

    public CosmosStatsStoreTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        var options = Options.Create(_options);
        _settings = new CosmosStatsSettingsStore(_client, options);
        _counts = new CosmosExperimentResultsStore(_client, options);
        _wouldHaveReceived = new CosmosWouldHaveReceivedStore(_client, options);
    }

    public Task InitializeAsync() => CosmosSetup.EnsureResourcesAsync(
        _client, _options.Database,
        [CosmosStatsSettingsStore.ContainerSpec, CosmosExperimentResultsStore.ContainerSpec, CosmosWouldHaveReceivedStore.ContainerSpec],
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task Settings_are_saved_under_an_ETag_and_a_stale_one_changes_nothing()
    {
        var settings = new GameStatsSettings
        {
            Peers = new PeersSettings { K = 20, MinPeers = 10, CacheFor = "PT15M" },
            Moments = new MomentsSettings { Levels = [10, 20], DungeonAttempts = new DungeonAttemptsSettings { Count = 3, Window = "PT1H", Zones = new() { ["abyss-3"] = "d3" } } },
            Experiment = new ExperimentSettings { Id = "smart-stats-1", TreatmentShare = 0.5 },
        };

        var etag = await _settings.SaveAsync("odin", settings, null, CancellationToken.None);
        Assert.NotNull(etag);
        Assert.Null(await _settings.SaveAsync("odin", settings, "\"stale\"", CancellationToken.None));

        var read = await _settings.GetAsync("odin", CancellationToken.None);
        Assert.Equal(etag, read!.ETag);
        var policy = StatsSettingsValidator.TryCompile("odin", read.Settings, []);
        Assert.Equal(("smart-stats-1", 0.5, "d3"), (policy!.Experiment!.Id, policy.Experiment.TreatmentShare, policy.Moments.DungeonZones["abyss-3"]));
        Assert.Null(await _settings.GetAsync("ares", CancellationToken.None));
    }

    [Fact]
    public async Task A_partitions_counts_replace_its_last_and_are_listed_per_experiment()
    {
        await _counts.UpsertAsync(Counts("game-events", "0", 10), CancellationToken.None);
        await _counts.UpsertAsync(Counts("game-events", "0", 12), CancellationToken.None);
        await _counts.UpsertAsync(Counts("payment-events", "0", 3), CancellationToken.None);
        await _counts.UpsertAsync(Counts("game-events", "0", 99) with { ExperimentId = "other" }, CancellationToken.None);

        var listed = await _counts.ListAsync("odin", "exp", CancellationToken.None);

        Assert.Equal([12L, 3L], listed.OrderBy(c => c.Hub, StringComparer.Ordinal).Select(c => c.Treatment.Enrolled));
        Assert.Equal(15, ExperimentResults.Of("odin", "exp", listed).Treatment.Enrolled);
    }

    [Fact]
    public async Task A_would_have_received_record_is_created_once_and_listed_per_game_oldest_first()
    {
        var later = Record("e2", T0.AddMinutes(5), "odin");
        var earlier = Record("e1", T0, "odin");

        Assert.True(await _wouldHaveReceived.CreateAsync(later, CancellationToken.None));
        Assert.True(await _wouldHaveReceived.CreateAsync(earlier, CancellationToken.None));
        Assert.False(await _wouldHaveReceived.CreateAsync(earlier, CancellationToken.None));
        Assert.True(await _wouldHaveReceived.CreateAsync(Record("e3", T0, "ares"), CancellationToken.None));

        var listed = await _wouldHaveReceived.ListAsync("odin", "u1", CancellationToken.None);
        Assert.Equal(["e1", "e2"], listed.Select(r => r.Notification.EventId));
        var read = await _wouldHaveReceived.GetAsync("u1", earlier.Id, CancellationToken.None);
        Assert.Equal(("smart-stats-1", 5, 70.0), (read!.ExperimentId, read.Notification.Explanation!.K, read.Notification.Explanation.Features[0].Percentile));
    }

    private static ExperimentPartitionCounts Counts(string hub, string partition, long enrolled) =>
        new("odin", "exp", hub, partition, new ArmCounts { Enrolled = enrolled }, new ArmCounts { Enrolled = 1 }, T0);

    private static WouldHaveReceived Record(string eventId, DateTimeOffset time, string gameId) => new("smart-stats-1", new Notification
    {
        Id = Notification.IdFor("stats-deaths", "/games/odin", eventId),
        RuleId = "stats-deaths",
        GameId = gameId,
        UserId = "u1",
        EventId = eventId,
        Time = time,
        Priority = "normal",
        Channels = ["inbox"],
        Locale = "en",
        Title = "Tough fight",
        Body = "Faster than 70% of players like you",
        Ttl = 3600,
        Explanation = new StatsExplanation(MomentTypes.DeathsInZone, 5, 5, [new FeaturePosition("deathsPerPlayHour", 2, 3, 70)], time),
    });
}
