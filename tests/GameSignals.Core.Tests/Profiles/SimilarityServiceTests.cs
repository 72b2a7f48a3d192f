using GameSignals.Profiles;

namespace GameSignals.Tests.Profiles;

public sealed class SimilarityServiceTests
{
    private static readonly DateTimeOffset Seen = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Twenty fighters (many PvP matches) and twenty traders (many sales), levels spread.</summary>
    private static async Task<(SimilarityService Service, InMemoryProfileStore Store)> TwoKindsAsync()
    {
        var (store, indexer, service) = ExampleStreamSimilarityTests.Build();
        for (var i = 0; i < 20; i++)
        {
            var basis = PlayerProfile.New("odin", "") with { Level = 10 + i, FirstSeen = Seen, LastSeen = Seen, Server = "kr-01", Platform = i % 2 == 0 ? "pc" : "ios" };
            await store.CreateAsync(basis with { UserId = $"fighter{i:D2}", PvpMatches = new DecayingSum(30 + i, Seen) }, CancellationToken.None);
            await store.CreateAsync(basis with { UserId = $"trader{i:D2}", MarketSales = new DecayingSum(30 + i, Seen), MarketValue = new DecayingSum(10_000 * (i + 1), Seen) }, CancellationToken.None);
        }

        await indexer.RefreshGameAsync("odin", CancellationToken.None);
        return (service, store);
    }

    [Fact]
    public async Task Similar_players_share_the_examples_kind_exclude_the_examples_and_say_why()
    {
        var (service, _) = await TwoKindsAsync();

        var similar = await service.FindSimilarAsync(["fighter00", "fighter05", "fighter10"], 10, new PlayerFilter("odin"), CancellationToken.None);

        Assert.Equal(10, similar.Count);
        Assert.All(similar, s => Assert.StartsWith("fighter", s.UserId, StringComparison.Ordinal));
        Assert.DoesNotContain(similar, s => s.UserId is "fighter00" or "fighter05" or "fighter10");
        Assert.Equal(similar.Select(s => s.Score).OrderDescending(), similar.Select(s => s.Score));
        Assert.All(similar, s => Assert.InRange(s.SharedFeatures.Count, 1, SimilarityService.ExplainingFeatures));
        Assert.All(similar, s => Assert.Contains(s.SharedFeatures, f => f.Feature == "pvpMatchesPerDay"));
    }

    [Fact]
    public async Task Filters_narrow_the_similar_players()
    {
        var (service, _) = await TwoKindsAsync();

        var similar = await service.FindSimilarAsync(["trader00"], 20, new PlayerFilter("odin") { Platform = "ios", MinLevel = 20 }, CancellationToken.None);

        Assert.NotEmpty(similar);
        Assert.All(similar, s => Assert.True(s is { Platform: "ios", Level: >= 20 }, s.ToString()));
    }

    [Fact]
    public async Task Peers_give_the_players_percentile_on_each_feature()
    {
        var (service, store) = await TwoKindsAsync();

        var comparison = await service.ComparePeersAsync("fighter19", 10, new PlayerFilter("odin"), CancellationToken.None);

        Assert.Equal(10, comparison.Peers.Count);
        var pvp = comparison.Features.Single(f => f.Feature == "pvpMatchesPerDay");
        Assert.Equal(49, pvp.Value, 6); // the busiest fighter of all: above every peer
        Assert.Equal(100, pvp.Percentile);
        var level = comparison.Features.Single(f => f.Feature == "level");
        var peerLevels = new List<double>();
        foreach (var peer in comparison.Peers)
        {
            peerLevels.Add((await store.GetAsync("odin", peer.UserId, CancellationToken.None))!.Profile.Level);
        }

        Assert.Equal(100.0 * peerLevels.Count(l => l < 29) / peerLevels.Count, level.Percentile, 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_k_out_of_range_is_refused(int k)
    {
        var (service, _) = await TwoKindsAsync();

        var error = await Assert.ThrowsAsync<InvalidSimilarityRequestException>(() => service.FindSimilarAsync(["fighter00"], k, new PlayerFilter("odin"), CancellationToken.None).AsTask());

        Assert.Equal("k", error.Parameter);
    }

    [Fact]
    public async Task Unknown_players_are_named_in_the_error()
    {
        var (service, _) = await TwoKindsAsync();

        var error = await Assert.ThrowsAsync<UnknownPlayersException>(
            () => service.FindSimilarAsync(["fighter00", "nobody", "ghost"], 10, new PlayerFilter("odin"), CancellationToken.None).AsTask());

        Assert.Equal(["nobody", "ghost"], error.UserIds);
    }

    public static TheoryData<PlayerFilter, string> BadFilters => new()
    {
        { new PlayerFilter("odin") { MinLevel = 30, MaxLevel = 20 }, "level" },
        { new PlayerFilter("odin") { MinLevel = -1 }, "level" },
        { new PlayerFilter("odin") { Platform = "xbox" }, "platform" },
        { new PlayerFilter("odin") { LastSeenFrom = Seen, LastSeenTo = Seen.AddDays(-1) }, "lastSeen" },
        { new PlayerFilter(" "), "gameId" },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public async Task Bad_filters_are_refused_naming_the_field(PlayerFilter filter, string parameter)
    {
        var (service, _) = await TwoKindsAsync();

        var error = await Assert.ThrowsAsync<InvalidSimilarityRequestException>(() => service.FindSimilarAsync(["fighter00"], 10, filter, CancellationToken.None).AsTask());

        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public async Task No_examples_is_a_bad_request()
    {
        var (service, _) = await TwoKindsAsync();

        await Assert.ThrowsAsync<InvalidSimilarityRequestException>(() => service.FindSimilarAsync([], 10, new PlayerFilter("odin"), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_game_without_statistics_is_not_ready()
    {
        var (_, _, service) = ExampleStreamSimilarityTests.Build();

        await Assert.ThrowsAsync<SimilarityNotReadyException>(() => service.FindSimilarAsync(["a"], 10, new PlayerFilter("odin"), CancellationToken.None).AsTask());
    }
}
