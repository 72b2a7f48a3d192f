using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
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

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // One partition's state across the batches of a test, as the pipeline keeps it.
    private readonly PartitionState _state = TestStates.Fresh();

    private EventBatch Batch(params GameEvent[] events) => new(events[0].Origin.Hub, events[0].Origin.Partition, events, _state);

    private static (ProfileStage Stage, IProfileStore Store) Build(
        IProfileStore? store = null, TimeSpan? materializeEvery = null, TimeSpan? evictIdleAfter = null, int materializeAtMost = 64)
    {
        store ??= new InMemoryProfileStore();
        var indexer = new ProfileIndexer(store, new InMemoryPopulationStatisticsStore(), new ExactPlayerIndex());
        var options = new ProfileOptions
        {
            MaterializeEvery = materializeEvery ?? TimeSpan.Zero,
            EvictIdleAfter = evictIdleAfter ?? TimeSpan.FromHours(1),
            MaterializeAtMostPerBatch = materializeAtMost,
        };
        return (new ProfileStage(store, indexer, new StoreRetry(), Options.Create(options)), store);
    }

    [Fact]
    public async Task Changes_wait_in_the_partition_state_for_an_hour_of_event_time_then_each_player_is_written_once()
    {
        var counting = new CountingStore(new InMemoryProfileStore());
        var (stage, store) = Build(counting, Hour);

        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);
        Assert.Equal(0, counting.Writes);
        Assert.Null(await store.GetAsync("odin", "u1", CancellationToken.None));

        // u1 changed at minute 15, so is due at 1:15; u2 (minute 25) is not due yet at 1:20.
        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(80), 14)), CancellationToken.None);

        Assert.Equal(1, counting.Writes);
        var u1 = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(3, u1.PvpMatches.ValueAt(Start.AddMinutes(80), ProfileFeatures.ShortHalfLife), tolerance: 0.01);
        Assert.Equal(14, u1.Applied["game-events/0"]);
        Assert.Equal(14, u1.Parts["game-events"].Applied["game-events/0"]);
        Assert.Null(await store.GetAsync("odin", "u2", CancellationToken.None));
    }

    [Fact]
    public async Task A_written_player_idle_past_the_limit_is_forgotten_and_their_return_continues_from_the_store()
    {
        var (stage, store) = Build(materializeEvery: Hour, evictIdleAfter: Hour);
        var state = _state.Part<ProfileState>();

        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);
        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(50), 14, userId: "u2")), CancellationToken.None);
        Assert.NotNull(state.PlayerOf("odin", "u1")?.Part); // not written yet

        // At 1:20 u1 (changed at 0:15) is written, and has been idle over an hour: forgotten. u2 has changes not written.
        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(80), 15, userId: "u2")), CancellationToken.None);
        Assert.NotNull(await store.GetAsync("odin", "u1", CancellationToken.None));
        Assert.Null(state.PlayerOf("odin", "u1")?.Part);
        Assert.NotNull(state.PlayerOf("odin", "u2")?.Part);

        // Nor does the state's snapshot hold them.
        var recovered = TestStates.Fresh().Part<ProfileState>();
        recovered.ReadSnapshot(Reader(state.WriteSnapshot));
        Assert.Null(recovered.PlayerOf("odin", "u1")?.Part);

        // u1 returns: their part comes back from the store and no earlier match counts twice.
        await stage.ProcessAsync(Batch(Pvp("loss", TimeSpan.FromMinutes(160), 16), Pvp("win", TimeSpan.FromMinutes(5), 11)), CancellationToken.None);
        await stage.FlushAsync(Batch(Pvp("win", TimeSpan.FromMinutes(160), 16)), CancellationToken.None);
        var u1 = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(3, u1.PvpMatches.ValueAt(Start.AddMinutes(160), ProfileFeatures.ShortHalfLife), tolerance: 0.05); // 4 if a match counted twice
        Assert.Equal(16, u1.Applied["game-events/0"]);
    }

    private static BinaryReader Reader(Action<BinaryWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        buffer.Position = 0;
        return new BinaryReader(buffer);
    }

    [Fact]
    public async Task A_batch_writes_at_most_its_share_of_the_players_due_the_longest_waiting_first_and_the_next_batches_the_rest()
    {
        var counting = new CountingStore(new InMemoryProfileStore());
        var (stage, store) = Build(counting, Hour, materializeAtMost: 2);
        await stage.ProcessAsync(Batch(
            Pvp("win", TimeSpan.FromMinutes(20), 10, userId: "u3"),
            Pvp("win", TimeSpan.FromMinutes(10), 11, userId: "u2"),
            Pvp("win", TimeSpan.Zero, 12, userId: "u1")), CancellationToken.None);

        // At 1:30 all three are due; u1 and u2 have waited longest.
        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(90), 13, userId: "u4")), CancellationToken.None);
        Assert.Equal(2, counting.Writes);
        Assert.NotNull(await store.GetAsync("odin", "u1", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("odin", "u2", CancellationToken.None));
        Assert.Null(await store.GetAsync("odin", "u3", CancellationToken.None));

        // The next batch writes u3, who stayed due; u4 (changed at 1:30) is not due yet.
        await stage.ProcessAsync(Batch(Pvp("win", TimeSpan.FromMinutes(91), 14, userId: "u4")), CancellationToken.None);
        Assert.Equal(3, counting.Writes);
        Assert.Equal(1, (await store.GetAsync("odin", "u3", CancellationToken.None))!.Profile.PvpMatches.ValueAt(Start.AddMinutes(20), ProfileFeatures.ShortHalfLife), tolerance: 0.01);
        Assert.Null(await store.GetAsync("odin", "u4", CancellationToken.None));
    }

    [Fact]
    public async Task With_no_wait_every_batch_writes_all_its_players_whatever_the_cap()
    {
        var counting = new CountingStore(new InMemoryProfileStore());
        var (stage, _) = Build(counting, TimeSpan.Zero, materializeAtMost: 2);

        await stage.ProcessAsync(Batch(
            Pvp("win", TimeSpan.Zero, 10, userId: "u1"),
            Pvp("win", TimeSpan.Zero, 11, userId: "u2"),
            Pvp("win", TimeSpan.Zero, 12, userId: "u3")), CancellationToken.None);

        Assert.Equal(3, counting.Writes);
    }

    [Fact]
    public async Task A_flush_writes_every_player_with_changes_whatever_their_wait()
    {
        var (stage, store) = Build(materializeEvery: Hour);
        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);

        await stage.FlushAsync(new EventBatch("game-events", "0", [], _state), CancellationToken.None);

        Assert.NotNull(await store.GetAsync("odin", "u1", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("odin", "u2", CancellationToken.None));
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
    public async Task A_new_owner_without_state_continues_from_the_stored_part_and_counts_no_event_twice()
    {
        var (stage, store) = Build();
        await stage.ProcessAsync(Batch(Matches), CancellationToken.None);

        // Another instance whose state was lost: it reads the hub's part back from the store.
        var (other, _) = Build(store);
        await other.ProcessAsync(new EventBatch("game-events", "0", [.. Matches, Pvp("win", TimeSpan.FromMinutes(30), 14)], TestStates.Fresh()), CancellationToken.None);

        var u1 = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(3, u1.PvpMatches.ValueAt(Start.AddMinutes(30), ProfileFeatures.ShortHalfLife), tolerance: 0.01);
    }

    [Fact]
    public async Task A_batch_failing_after_the_profile_write_and_redelivered_whole_counts_each_event_once()
    {
        var index = new FailingOnceIndex();
        var store = new InMemoryProfileStore();
        var statistics = new InMemoryPopulationStatisticsStore();
        var stage = new ProfileStage(store, new ProfileIndexer(store, statistics, index), new StoreRetry(), Options.Create(new ProfileOptions { MaterializeEvery = TimeSpan.Zero }));
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
    public async Task A_write_that_loses_an_etag_race_rereads_and_keeps_the_other_hubs_part()
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
        Assert.Equal(["game-events", "payment-events"], profile.Parts.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_create_that_finds_the_profile_created_meanwhile_merges_with_it()
    {
        var (stage, store) = Build(new RacingStore(new InMemoryProfileStore(), Purchase(10, "USD", TimeSpan.FromMinutes(1), 7), raceOnWrite: 1));

        await stage.ProcessAsync(Batch(Session("ios", TimeSpan.Zero, 1)), CancellationToken.None);

        var profile = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(1, profile.Purchases);
        Assert.Equal(1, profile.Sessions.Value, 6);
    }

    [Fact]
    public async Task A_profile_stored_before_parts_keeps_its_history_as_a_legacy_part()
    {
        var store = new InMemoryProfileStore();
        var old = ProfileUpdater.Apply(PlayerProfile.New("odin", "u1"), [Pvp("win", TimeSpan.Zero, 3)], "game-events/0", new ProfileOptions());
        await store.CreateAsync(old, CancellationToken.None);
        var (stage, _) = Build(store);

        await stage.ProcessAsync(Batch(Pvp("loss", TimeSpan.FromMinutes(5), 4)), CancellationToken.None);

        var profile = (await store.GetAsync("odin", "u1", CancellationToken.None))!.Profile;
        Assert.Equal(2, profile.PvpMatches.ValueAt(Start.AddMinutes(5), ProfileFeatures.ShortHalfLife), tolerance: 0.01);
        Assert.Equal(["game-events", ProfileStage.LegacyPart], profile.Parts.Keys.Order(StringComparer.Ordinal));
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

            // The payment hub's partition replaces its own part, as its stage would.
            var stored = await inner.GetAsync(profile.GameId, profile.UserId, cancellationToken);
            var part = ProfileUpdater.Apply(PlayerProfile.New(profile.GameId, profile.UserId), [concurrent], concurrent.Origin.Hub + "/" + concurrent.Origin.Partition, new ProfileOptions());
            var parts = (stored?.Profile.Parts ?? System.Collections.Immutable.ImmutableDictionary<string, PlayerProfile>.Empty).SetItem(concurrent.Origin.Hub, part);
            var theirs = ProfileFeatures.Merge(profile.GameId, profile.UserId, parts);
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
