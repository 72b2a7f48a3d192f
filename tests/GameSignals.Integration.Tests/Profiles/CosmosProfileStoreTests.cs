using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Profiles;
using GameSignals.Profiles;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.Profiles;

/// <summary>The Cosmos profile and statistics stores against the stand-in, with the in-memory stores' semantics.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosProfileStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosProfileStore _profiles;
    private readonly CosmosPopulationStatisticsStore _statistics;

    public CosmosProfileStoreTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        _profiles = new CosmosProfileStore(_client, Options.Create(_options));
        _statistics = new CosmosPopulationStatisticsStore(_client, Options.Create(_options));
    }

    public Task InitializeAsync() => CosmosSetup.EnsureResourcesAsync(
        _client, _options.Database, [CosmosProfileStore.ContainerSpec, CosmosPopulationStatisticsStore.ContainerSpec], CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task A_created_profile_reads_back_whole_with_its_ETag_and_an_unknown_one_is_null()
    {
        var profile = Profile("odin", "u1");

        var created = await _profiles.CreateAsync(profile, CancellationToken.None);
        var read = await _profiles.GetAsync("odin", "u1", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        AssertSameProfile(profile, read.Profile);
        Assert.Null(await _profiles.GetAsync("odin", "nobody", CancellationToken.None));
        Assert.Null(await _profiles.GetAsync("ares", "u1", CancellationToken.None));
    }

    [Fact]
    public async Task Creating_a_profile_twice_is_a_concurrency_conflict_and_keeps_the_first()
    {
        await _profiles.CreateAsync(Profile("odin", "u2") with { Level = 3 }, CancellationToken.None);

        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => _profiles.CreateAsync(Profile("odin", "u2") with { Level = 9 }, CancellationToken.None).AsTask());

        Assert.Equal(3, (await _profiles.GetAsync("odin", "u2", CancellationToken.None))!.Profile.Level);
    }

    [Fact]
    public async Task A_replace_with_a_stale_ETag_is_a_concurrency_conflict_and_changes_nothing()
    {
        var first = await _profiles.CreateAsync(Profile("odin", "u3"), CancellationToken.None);
        var second = await _profiles.ReplaceAsync(first.Profile with { Level = 20 }, first.ETag, CancellationToken.None);

        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => _profiles.ReplaceAsync(first.Profile with { Level = 99 }, first.ETag, CancellationToken.None).AsTask());

        var read = (await _profiles.GetAsync("odin", "u3", CancellationToken.None))!;
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal((20, second.ETag), (read.Profile.Level, read.ETag));
    }

    [Fact]
    public async Task Replacing_a_profile_that_does_not_exist_is_a_concurrency_conflict()
    {
        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => _profiles.ReplaceAsync(Profile("odin", "ghost"), "\"0\"", CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Listing_a_game_returns_its_players_only()
    {
        foreach (var userId in new[] { "a", "b", "c" })
        {
            await _profiles.CreateAsync(Profile("zeus", userId), CancellationToken.None);
        }

        await _profiles.CreateAsync(Profile("hera", "a"), CancellationToken.None);

        var listed = await _profiles.ListByGameAsync("zeus", CancellationToken.None).ToListAsync();

        Assert.Equal(["a", "b", "c"], listed.Select(p => p.UserId).Order(StringComparer.Ordinal));
        Assert.All(listed, p => Assert.Equal("zeus", p.GameId));
    }

    [Fact]
    public async Task Statistics_are_absent_until_set_and_the_latest_set_wins()
    {
        Assert.Null(await _statistics.GetAsync("odin", CancellationToken.None));
        var first = PopulationStatistics.Compute([Profile("odin", "a"), Profile("odin", "b") with { Level = 30 }]);
        var latest = PopulationStatistics.Compute([Profile("odin", "a"), Profile("odin", "b"), Profile("odin", "c") with { Spend = 99 }]);

        await _statistics.SetAsync(first, CancellationToken.None);
        await _statistics.SetAsync(latest, CancellationToken.None);

        var read = await _statistics.GetAsync("odin", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal((latest.GameId, latest.Players), (read.GameId, read.Players));
        Assert.Equal(latest.Scales, read.Scales);
        Assert.Null(await _statistics.GetAsync("ares", CancellationToken.None));
    }

    [Fact]
    public async Task The_profiles_container_is_partitioned_by_game_then_player_as_the_infrastructure_declares()
    {
        var container = await _client.GetContainer(_options.Database, CosmosProfileStore.ContainerName).ReadContainerAsync();

        Assert.Equal(["/gameId", "/userId"], container.Resource.PartitionKeyPaths);
        Assert.Null(container.Resource.DefaultTimeToLive);
    }

    /// <summary>A profile with every kind of field set, so a lost field shows.</summary>
    private static PlayerProfile Profile(string gameId, string userId) => PlayerProfile.New(gameId, userId) with
    {
        Server = "kr-01",
        Platform = "ios",
        PlatformSince = Time.AddHours(-2),
        Level = 12,
        FirstSeen = Time.AddDays(-3),
        LastSeen = Time,
        PvpResults = new DecayingMean(new DecayingSum(2.5, Time), new DecayingSum(4, Time)),
        Sessions = new DecayingSum(7.25, Time.AddHours(-1)),
        Spend = 19.99,
        Purchases = 2,
        Applied = System.Collections.Immutable.ImmutableDictionary<string, long>.Empty.Add("game-events/3", 1234),
    };

    private static void AssertSameProfile(PlayerProfile expected, PlayerProfile actual)
    {
        Assert.Equal(expected with { Applied = actual.Applied }, actual);
        Assert.Equal(expected.Applied, actual.Applied);
    }
}
