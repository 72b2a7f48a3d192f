using System.Runtime.CompilerServices;
using GameSignals.Profiles;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyProfileStore(IProfileStore inner, FaultInjector faults) : FaultyStore(faults), IProfileStore
{
    public ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        Read("profile read", () => inner.GetAsync(gameId, userId, cancellationToken));

    // This store answers a lost race by throwing, as Cosmos does.
    public ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken) =>
        Conditional("profile create", () => inner.CreateAsync(profile, cancellationToken), _ => true, _ => throw new ProfileConcurrencyException("injected 409 on profile create"));

    public ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken) =>
        Conditional("profile replace", () => inner.ReplaceAsync(profile, ifMatch, cancellationToken), _ => true, _ => throw new ProfileConcurrencyException("injected 412 on profile replace"));

    public async IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Faults.BeforeRead("profile list");
        await foreach (var profile in inner.ListByGameAsync(gameId, cancellationToken).ConfigureAwait(false))
        {
            yield return profile;
        }
    }
}

internal sealed class FaultyPopulationStatisticsStore(IPopulationStatisticsStore inner, FaultInjector faults) : FaultyStore(faults), IPopulationStatisticsStore
{
    public ValueTask<PopulationStatistics?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        Read("statistics read", () => inner.GetAsync(gameId, cancellationToken));

    public ValueTask SetAsync(PopulationStatistics statistics, CancellationToken cancellationToken) =>
        Write("statistics write", () => inner.SetAsync(statistics, cancellationToken));
}

internal sealed class FaultyPlayerIndex(IPlayerIndex inner, FaultInjector faults) : FaultyStore(faults), IPlayerIndex
{
    public ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken) =>
        Write("index upsert", () => inner.UpsertAsync(documents, cancellationToken));

    public ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        Write("index delete", () => inner.DeleteAsync(gameId, userId, cancellationToken));

    public ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken) =>
        Read("index search", () => inner.SearchAsync(vector, k, filter, cancellationToken));
}
