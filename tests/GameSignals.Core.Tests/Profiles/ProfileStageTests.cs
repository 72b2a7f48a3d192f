using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Profiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GameSignals.Tests.Profiles.ProfileEvents;

namespace GameSignals.Tests.Profiles;

public sealed class ProfileStageTests
{
    private static readonly GameEvent[] Matches =
    [
        Session("pc", TimeSpan.Zero, 10),
        Pvp("win", TimeSpan.FromMinutes(5), 11),
        Pvp("loss", TimeSpan.FromMinutes(15), 12),
        Pvp("win", TimeSpan.FromMinutes(25), 13, userId: "u2"),
    ];

    private static EventBatch Batch(params GameEvent[] events) => new(events[0].Origin.Hub, events[0].Origin.Partition, events, TestStates.Fresh(events[0].Origin.Hub, events[0].Origin.Partition));

    private static (ProfileStage Stage, IProfileStore Store) Build(IProfileStore? store = null)
    {
        store ??= new InMemoryProfileStore();
        var indexer = new ProfileIndexer(store, new InMemoryPopulationStatisticsStore(), new ExactPlayerIndex());
        return (new ProfileStage(store, indexer, new StoreRetry(), Options.Create(new ProfileOptions())), store);
    }

    [Fact]
    public async Task A_batch_writes_each_player_once()
    {
        var counting = new CountingStore(new InMemoryProfileStore());
        var (stage, store) = Build(counting);

        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);

        Assert.Equal(2, counting.Writes);
        var u1 = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(2, u1.PvpMatches.Value, tolerance: 0.01);
        Assert.Equal(12, u1.Applied["game-events/0"]);
    }

    [Fact]
    public async Task The_same_batch_delivered_twice_changes_the_profile_once()
    {
        var (stage, store) = Build();
        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);
        var once = await store.GetAsync("odin", "u1", CancellationToken.None);

        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);
        var twice = await store.GetAsync("odin", "u1", CancellationToken.None);

        Assert.Equal(once, twice); // same features, same ETag: not even rewritten
    }

    [Fact]
    public async Task A_batch_failing_after_the_profile_write_and_redelivered_whole_counts_each_event_once()
    {
        var index = new FailingOnceIndex();
        var store = new InMemoryProfileStore();
        var statistics = new InMemoryPopulationStatisticsStore();
        var stage = new ProfileStage(store, new ProfileIndexer(store, statistics, index), new StoreRetry(), Options.Create(new ProfileOptions()));
        await statistics.SetAsync(PopulationStatistics.Compute([PlayerProfile.New("odin", "seed")]), CancellationToken.None);
        var pipeline = new EventPipeline([stage], TestStates.Over(), new InMemoryDeadLetterStore(), new StoreRetry(), new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);

        // The index update after the store write fails: the batch throws, the partition's changelog records nothing.
        await Assert.ThrowsAsync<ProfileIndexingException>(() => pipeline.ProcessDecodedAsync("game-events", "0", Matches, [], CancellationToken.None).AsTask());
        var result = await pipeline.ProcessDecodedAsync("game-events", "0", Matches, [], CancellationToken.None);

        Assert.Equal(Matches.Length, result.Processed); // redelivered whole
        var u1 = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(2, u1.PvpMatches.ValueAt(Start, ProfileFeatures.ShortHalfLife), tolerance: 0.01);
        Assert.Equal(1, u1.Sessions.ValueAt(Start, ProfileFeatures.ShortHalfLife), 3);
        Assert.Single(await index.SearchAsync(new float[ProfileFeatures.VectorLength], 10, new PlayerFilter("odin") { Platform = "pc" }, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_that_loses_an_etag_race_rereads_and_applies_on_top_of_the_winner()
    {
        var inner = new InMemoryProfileStore();
        var (stage, store) = Build(new RacingStore(inner, Purchase(10, "USD", TimeSpan.FromMinutes(1), 7), raceOnWrite: 2));
        await stage.ProcessAsync(Batch(Session("ios", TimeSpan.Zero, 1)), CancellationToken.None);

        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(2), 2)), CancellationToken.None);

        var profile = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(1, profile.Purchases); // the concurrent payment write survived
        Assert.Equal(10, profile.Spend, 6);
        Assert.Equal(1, profile.PvpMatches.Value, 6); // and the match counted once
        Assert.Equal(2, profile.Applied["game-events/0"]);
        Assert.Equal(7, profile.Applied["payment-events/3"]);
    }

    [Fact]
    public async Task A_create_that_finds_the_profile_created_meanwhile_applies_on_top_of_it()
    {
        var (stage, store) = Build(new RacingStore(new InMemoryProfileStore(), Purchase(10, "USD", TimeSpan.FromMinutes(1), 7), raceOnWrite: 1));

        await stage.ProcessAsync(Batch(Session("ios", TimeSpan.Zero, 1)), CancellationToken.None);

        var profile = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(1, profile.Purchases);
        Assert.Equal(1, profile.Sessions.Value, 6);
    }

    [Fact]
    public async Task A_store_that_keeps_refusing_fails_the_batch_for_redelivery()
    {
        var (stage, _) = Build(new AlwaysConflictingStore());

        await Assert.ThrowsAsync<ProfileConcurrencyException>(() => stage.ProcessAsync(Batch(Matches), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Events_of_one_message_sharing_a_sequence_number_are_all_applied()
    {
        var (stage, store) = Build();
        GameEvent[] message = [Pvp("win", TimeSpan.Zero, 5), Pvp("win", TimeSpan.FromSeconds(1), 5)];

        await stage.ProcessAsync(Batch(message), CancellationToken.None);
        await stage.ProcessAsync(Batch(message), CancellationToken.None);

        Assert.Equal(2, (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile.PvpMatches.Value, tolerance: 0.01);
    }

    /// <summary>Counts writes (the stage writes players concurrently).</summary>
    private sealed class CountingStore(IProfileStore inner) : IProfileStore
    {
        private int _writes;

        public int Writes => _writes;

        public ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) => inner.GetAsync(gameId, userId, cancellationToken);

        public ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return inner.CreateAsync(profile, cancellationToken);
        }

        public ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _writes);
            return inner.ReplaceAsync(profile, ifMatch, cancellationToken);
        }

        public IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, CancellationToken cancellationToken) => inner.ListByGameAsync(gameId, cancellationToken);
    }

    /// <summary>Just before write number <paramref name="raceOnWrite"/>, another writer (the payment hub's partition) applies an event to the same profile.</summary>
    private sealed class RacingStore(IProfileStore inner, GameEvent concurrent, int raceOnWrite) : IProfileStore
    {
        private int _writes;

        public ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) => inner.GetAsync(gameId, userId, cancellationToken);

        public async ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken)
        {
            await RaceAsync(profile, cancellationToken);
            return await inner.CreateAsync(profile, cancellationToken);
        }

        public async ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken)
        {
            await RaceAsync(profile, cancellationToken);
            return await inner.ReplaceAsync(profile, ifMatch, cancellationToken);
        }

        public IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, CancellationToken cancellationToken) => inner.ListByGameAsync(gameId, cancellationToken);

        private async ValueTask RaceAsync(PlayerProfile profile, CancellationToken cancellationToken)
        {
            if (++_writes != raceOnWrite)
            {
                return;
            }

            var stored = await inner.GetAsync(profile.GameId, profile.UserId, cancellationToken);
            var theirs = ProfileUpdater.Apply(
                stored?.Profile ?? PlayerProfile.New(profile.GameId, profile.UserId), [concurrent], concurrent.Origin.Hub + "/" + concurrent.Origin.Partition, new ProfileOptions());
            _ = stored is null ? await inner.CreateAsync(theirs, cancellationToken) : await inner.ReplaceAsync(theirs, stored.ETag, cancellationToken);
        }
    }

    /// <summary>Every write conflicts, as under a persistent race.</summary>
    private sealed class AlwaysConflictingStore : IProfileStore
    {
        public ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) => ValueTask.FromResult<StoredProfile?>(null);

        public ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken) => throw new ProfileConcurrencyException("exists");

        public ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken) => throw new ProfileConcurrencyException("changed");

        public IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, CancellationToken cancellationToken) => AsyncEnumerable.Empty<PlayerProfile>();
    }

    /// <summary>Refuses every document of its first upsert, then indexes normally.</summary>
    private sealed class FailingOnceIndex : IPlayerIndex
    {
        private readonly ExactPlayerIndex _inner = new();
        private bool _failed;

        public ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken)
        {
            if (_failed)
            {
                return _inner.UpsertAsync(documents, cancellationToken);
            }

            _failed = true;
            return ValueTask.FromResult<IReadOnlyList<IndexingResult>>([.. documents.Select(d => new IndexingResult(d.GameId, d.UserId, false, "503 Service Unavailable"))]);
        }

        public ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken) => _inner.DeleteAsync(gameId, userId, cancellationToken);

        public ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken) =>
            _inner.SearchAsync(vector, k, filter, cancellationToken);
    }
}
