using System.Collections.Immutable;
using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Extensions.Options;

namespace GameSignals.Profiles;

/// <summary>
/// Folds a batch's events into the players' profile parts held in the partition's state (<see cref="ProfileState"/>), in
/// memory, and materializes a player's part into the profile store, then the vector index, once its changes have waited
/// <see cref="ProfileOptions.MaterializeEvery"/> of event time: one read and one write per player per interval instead of
/// per batch.
/// </summary>
/// <remarks>
/// Exactly-once: a part remembers the last applied sequence number of its partition (<see cref="PlayerProfile.Applied"/>)
/// and events at or before it are skipped, so a part read back from the store after the state was lost does not count
/// an event twice. The stored profile holds one part per hub and their merge: a partition replaces only its hub's part,
/// under the item's ETag (a 409 or 412, from the other hub's partition, re-reads and merges again), so the game and
/// payment hubs never overwrite each other.
/// </remarks>
public sealed class ProfileStage(IProfileStore store, ProfileIndexer indexer, StoreRetry retry, IOptions<ProfileOptions> options) : IEventStage, IFlushingStage
{
    /// <summary>The part a profile stored before parts existed is kept under, so its history still counts.</summary>
    public const string LegacyPart = "legacy";

    private readonly ProfileOptions _options = options.Value;

    public string Name => "profiles";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var state = batch.State.Part<ProfileState>();
        var position = batch.State.Name;
        var byPlayer = state.ByPlayer;
        try
        {
            byPlayer.Group(batch.Events, state);
            DateTimeOffset? newest = null;
            var facts = new List<ProfileFact>();
            for (var i = 0; i < byPlayer.Count; i++)
            {
                var (held, last) = (byPlayer.Held(i), byPlayer.Last(i));
                newest = newest is null || last > newest ? last : newest;
                if (held is null)
                {
                    var first = byPlayer.EventsOf(i)[0];
                    var part = await retry.ExecuteAsync(static (s, ct) => s.Stage.ReadPartAsync(s.GameId, s.UserId, s.Hub, ct), (Stage: this, first.GameId, first.UserId, batch.Hub), cancellationToken).ConfigureAwait(false);
                    // A part read back from the store is written again too: the index update of its last write may have failed.
                    held = state.Hold(part, last, _options.MaterializeEvery);
                }

                facts.Clear();
                var sequence = ProfileUpdater.NewFacts(held.AppliedAt(position), byPlayer.EventsOf(i), _options, facts);
                if (facts.Count > 0)
                {
                    state.Fold(held, facts, position, sequence, last, _options.MaterializeEvery);
                }
            }

            if (newest is { } now)
            {
                await MaterializeAsync(batch.Hub, state, state.Due(now, _options.MaterializeEvery, _options.BatchMaterializeLimit), cancellationToken).ConfigureAwait(false);
                state.Evict(now, _options.EvictIdleAfter);
            }
        }
        finally
        {
            byPlayer.Clear();
        }
    }

    /// <summary>Materializes every player with changes, whatever their wait: at the end of a replay, or before an instance stops.</summary>
    public ValueTask FlushAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var state = batch.State.Part<ProfileState>();
        return MaterializeAsync(batch.Hub, state, state.Due(null, _options.MaterializeEvery), cancellationToken);
    }

    private async ValueTask MaterializeAsync(string hub, ProfileState state, List<PlayerProfile> due, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        var written = new PlayerProfile[due.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, due.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => written[i] = await retry.ExecuteAsync(
                static (s, ct) => s.Stage.WriteAsync(s.Part, s.Hub, ct), (Stage: this, Part: due[i], Hub: hub), ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        await retry.ExecuteAsync(static (s, ct) => s.indexer.IndexAsync(s.written, ct), (indexer, written), cancellationToken).ConfigureAwait(false);
        foreach (var part in due)
        {
            state.Materialized(part, _options.EvictIdleAfter);
        }
    }

    /// <summary>The hub's part of a player's stored profile; a new part when the player has none.</summary>
    private async ValueTask<PlayerProfile> ReadPartAsync(string gameId, string userId, string hub, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(gameId, userId, cancellationToken).ConfigureAwait(false);
        return stored is not null && PartsOf(stored.Profile).TryGetValue(hub, out var part) ? part : PlayerProfile.New(gameId, userId);
    }

    /// <summary>The player's stored profile with the hub's part replaced; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask<PlayerProfile> WriteAsync(PlayerProfile part, string hub, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(part.GameId, part.UserId, cancellationToken).ConfigureAwait(false);
            var parts = (stored is null ? ImmutableDictionary<string, PlayerProfile>.Empty : PartsOf(stored.Profile)).SetItem(hub, part);
            var merged = ProfileFeatures.Merge(part.GameId, part.UserId, parts);
            try
            {
                var result = stored is null
                    ? await store.CreateAsync(merged, cancellationToken).ConfigureAwait(false)
                    : await store.ReplaceAsync(merged, stored.ETag, cancellationToken).ConfigureAwait(false);
                return result.Profile;
            }
            catch (ProfileConcurrencyException) when (attempt < _options.MaxWriteAttempts)
            {
                // The other hub's partition wrote in between: read again and merge with its part.
            }
        }
    }

    /// <summary>A stored profile's parts; one written before parts existed is its own legacy part.</summary>
    private static ImmutableDictionary<string, PlayerProfile> PartsOf(PlayerProfile stored) =>
        stored.Parts.IsEmpty && !stored.Applied.IsEmpty
            ? ImmutableDictionary<string, PlayerProfile>.Empty.Add(LegacyPart, stored)
            : stored.Parts;
}

/// <summary>Applies one partition's events to a profile part, skipping those already applied.</summary>
public static class ProfileUpdater
{
    /// <summary>
    /// The part with the events after its last applied position on <paramref name="position"/>
    /// (<c>hub/partition</c>); the same instance when none is new.
    /// </summary>
    public static PlayerProfile Apply(PlayerProfile profile, ReadOnlySpan<GameEvent> events, string position, ProfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var facts = new List<ProfileFact>();
        var last = NewFacts(profile.Applied.GetValueOrDefault(position, long.MinValue), events, options, facts);
        return facts.Count == 0 ? profile : Fold(profile, facts, position, last);
    }

    /// <summary>
    /// Adds to <paramref name="facts"/> those of the events after sequence number <paramref name="applied"/>, the part's last
    /// applied on the events' position (read before the batch, not moving with it: the events of one message share a sequence
    /// number); the last sequence number among them, or <paramref name="applied"/> when none is new.
    /// </summary>
    public static long NewFacts(long applied, ReadOnlySpan<GameEvent> events, ProfileOptions options, List<ProfileFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var last = applied;
        foreach (var e in events)
        {
            if (e.Origin.SequenceNumber > applied)
            {
                facts.Add(ProfileFact.Of(e, options));
                last = Math.Max(last, e.Origin.SequenceNumber);
            }
        }

        return last;
    }

    /// <summary>The part with the facts folded in and <paramref name="position"/> applied up to <paramref name="last"/>.</summary>
    private static PlayerProfile Fold(PlayerProfile profile, IReadOnlyList<ProfileFact> facts, string position, long last)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(facts);
        var fold = new ProfileFeatures.Fold(profile);
        foreach (var fact in facts)
        {
            fold.Apply(fact);
        }

        return fold.ToProfile(profile.Applied.SetItem(position, last));
    }
}
