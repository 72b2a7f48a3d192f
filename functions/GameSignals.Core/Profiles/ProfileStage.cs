using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Extensions.Options;

namespace GameSignals.Profiles;

/// <summary>
/// Folds a batch's events into player profiles: one ETag-guarded write per player per batch, then the
/// players' vectors are refreshed in the index.
/// </summary>
/// <remarks>
/// Exactly-once: the profile remembers the last applied sequence number per <c>hub/partition</c>
/// (<see cref="PlayerProfile.Applied"/>), and events at or before it are skipped. That position is read
/// with the profile and moves in the same write as the features, so a batch redelivered after a failure
/// (before or after the write) does not move an average twice. A write that loses a race (409 on create,
/// 412 on replace: the user's payment events come from another hub's partition) re-reads and re-applies.
/// </remarks>
public sealed class ProfileStage(IProfileStore store, ProfileIndexer indexer, StoreRetry retry, IOptions<ProfileOptions> options) : IEventStage
{
    private readonly ProfileOptions _options = options.Value;

    public string Name => "profiles";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var players = batch.Events
            .Where(e => ProfileFeatures.IsProfileEvent(e.Type))
            .GroupBy(e => (e.GameId, e.UserId))
            .ToList();
        if (players.Count == 0)
        {
            return;
        }

        var position = batch.Hub + "/" + batch.Partition;
        var written = new PlayerProfile[players.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, players.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => written[i] = await retry.ExecuteAsync(
                static (s, ct) => s.Stage.WriteAsync(s.Player.Key.GameId, s.Player.Key.UserId, [.. s.Player], s.Position, ct),
                (Stage: this, Player: players[i], Position: position),
                ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        // Every player of the batch, changed or not: a redelivery after a failed index update repairs it.
        await retry.ExecuteAsync(static (s, ct) => s.indexer.IndexAsync(s.written, ct), (indexer, written), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One player's events in one write; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask<PlayerProfile> WriteAsync(string gameId, string userId, GameEvent[] events, string position, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(gameId, userId, cancellationToken).ConfigureAwait(false);
            var current = stored?.Profile ?? PlayerProfile.New(gameId, userId);
            var updated = ProfileUpdater.Apply(current, events, position, _options);
            if (ReferenceEquals(updated, current))
            {
                return current;
            }

            try
            {
                var result = stored is null
                    ? await store.CreateAsync(updated, cancellationToken).ConfigureAwait(false)
                    : await store.ReplaceAsync(updated, stored.ETag, cancellationToken).ConfigureAwait(false);
                return result.Profile;
            }
            catch (ProfileConcurrencyException) when (attempt < _options.MaxWriteAttempts)
            {
                // Someone wrote in between: read again and apply on top of their version.
            }
        }
    }
}

/// <summary>Applies one partition's events to a profile, skipping those already applied.</summary>
public static class ProfileUpdater
{
    /// <summary>
    /// The profile with the events after its last applied position on <paramref name="position"/>
    /// (<c>hub/partition</c>); the same instance when none is new.
    /// </summary>
    public static PlayerProfile Apply(PlayerProfile profile, IEnumerable<GameEvent> events, string position, ProfileOptions options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(events);
        // The position read with the profile, not the moving one: the events of one message share a sequence number.
        var applied = profile.Applied.TryGetValue(position, out var sequence) ? sequence : long.MinValue;
        var last = applied;
        var result = profile;
        foreach (var e in events)
        {
            if (e.Origin.SequenceNumber <= applied)
            {
                continue;
            }

            result = ProfileFeatures.Apply(result, e, options);
            last = Math.Max(last, e.Origin.SequenceNumber);
        }

        return last == applied ? profile : result with { Applied = result.Applied.SetItem(position, last) };
    }
}
