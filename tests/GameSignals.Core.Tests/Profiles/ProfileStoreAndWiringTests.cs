using System.Text.Json;
using GameSignals.Pipeline;
using GameSignals.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GameSignals.Tests.Profiles;

public sealed class ProfileStoreAndWiringTests
{
    [Fact]
    public async Task The_in_memory_store_refuses_a_second_create_and_a_stale_etag()
    {
        var store = new InMemoryProfileStore();
        var created = await store.CreateAsync(PlayerProfile.New("odin", "u1"), CancellationToken.None);
        var replaced = await store.ReplaceAsync(created.Profile with { Level = 2 }, created.ETag, CancellationToken.None);

        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => store.CreateAsync(PlayerProfile.New("odin", "u1"), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => store.ReplaceAsync(created.Profile with { Level = 3 }, created.ETag, CancellationToken.None).AsTask());
        Assert.NotEqual(created.ETag, replaced.ETag);
        Assert.Equal(2, (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile.Level);
    }

    [Fact]
    public async Task Replaying_the_whole_example_stream_into_the_same_profiles_changes_nothing()
    {
        var (store, indexer, _) = ExampleStreamSimilarityTests.Build();
        var stage = new ProfileStage(store, indexer, new StoreRetry(), Options.Create(new ProfileOptions()));
        await ExampleStream.RunAsync([stage]);
        var first = await Snapshot(store);

        await ExampleStream.RunAsync([stage]); // fresh partition states: every batch is delivered again
        var second = await Snapshot(store);

        // Rewritten (a part read back from the store is written again), with the same features and positions.
        Assert.Equal(first.Count, second.Count);
        Assert.All(first, p => Assert.Equal(Comparable(p.Value), Comparable(second[p.Key])));
    }

    [Fact]
    public async Task Features_do_not_depend_on_the_order_partitions_are_processed_in()
    {
        var (interleaved, _, _) = await ExampleStreamSimilarityTests.SharedAsync();
        var (heldBack, heldBackIndexer, _) = ExampleStreamSimilarityTests.Build();
        await ExampleStream.RunAsync([new ProfileStage(heldBack, heldBackIndexer, new StoreRetry(), Options.Create(new ProfileOptions()))], heldBackPartition: 0, batchSize: 17);

        var expected = await Features(interleaved);
        var actual = await Features(heldBack);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, p => Assert.All(p.Value, f => Assert.Equal(f.Value, actual[p.Key][f.Key], 9)));
    }

    [Fact]
    public async Task A_replay_row_carries_game_user_named_features_and_the_vector()
    {
        var (store, _, _) = await ExampleStreamSimilarityTests.SharedAsync();
        var statistics = PopulationStatistics.Compute(await store.ListByGameAsync("odin", CancellationToken.None).ToListAsync());
        var profile = (await store.GetAsync("odin", "u1-00000", CancellationToken.None))!.Profile;

        var json = JsonSerializer.SerializeToElement(ProfileRow.From(profile, new ProfileVectorizer(statistics)));

        Assert.Equal("odin", json.GetProperty("gameId").GetString());
        Assert.Equal("u1-00000", json.GetProperty("userId").GetString());
        Assert.True(json.GetProperty("features").GetProperty("pvpMatchesPerDay").GetDouble() > 0);
        Assert.Equal(ProfileFeatures.VectorLength, json.GetProperty("vector").GetArrayLength());
    }

    [Fact]
    public void AddProfiles_registers_the_stage_once_and_keeps_stores_registered_before_it()
    {
        var cosmosLike = new InMemoryProfileStore();
        var services = new ServiceCollection().AddSingleton<IProfileStore>(cosmosLike).AddProfiles().AddProfiles();

        Assert.Single(services, d => d.ServiceType == typeof(IEventStage) && d.ImplementationType == typeof(ProfileStage));
        Assert.Same(cosmosLike, Assert.Single(services, d => d.ServiceType == typeof(IProfileStore)).ImplementationInstance);
        Assert.Equal(typeof(ApproximatePlayerIndex), Assert.Single(services, d => d.ServiceType == typeof(IPlayerIndex)).ImplementationType);
        Assert.Single(services, d => d.ServiceType == typeof(SimilarityService));
        Assert.Single(services, d => d.ServiceType == typeof(IPopulationStatisticsStore));
    }

    private static async Task<Dictionary<string, PlayerProfile>> Snapshot(IProfileStore store)
    {
        var all = new Dictionary<string, PlayerProfile>(StringComparer.Ordinal);
        foreach (var game in new[] { "odin", "ares" })
        {
            await foreach (var p in store.ListByGameAsync(game, CancellationToken.None))
            {
                all[game + "/" + p.UserId] = p;
            }
        }

        return all;
    }

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, double>>> Features(IProfileStore store) =>
        (await Snapshot(store)).ToDictionary(p => p.Key, p => ProfileFeatures.Read(p.Value), StringComparer.Ordinal);

    /// <summary>A profile as a value: its dictionaries (positions, parts) compared by content.</summary>
    private static string Comparable(PlayerProfile profile) => System.Text.Json.JsonSerializer.Serialize(profile with
    {
        Applied = System.Collections.Immutable.ImmutableDictionary<string, long>.Empty.AddRange(profile.Applied.OrderBy(a => a.Key, StringComparer.Ordinal)),
        Parts = System.Collections.Immutable.ImmutableDictionary<string, PlayerProfile>.Empty,
    }) + string.Join('|', profile.Parts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Comparable(p.Value)));
}
