using GameSignals.Experiments;
using GameSignals.Stats;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyStatsSettingsStore(IStatsSettingsStore inner, FaultInjector faults) : FaultyStore(faults), IStatsSettingsStore
{
    public ValueTask<StoredStatsSettings?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        Read("stats settings read", () => inner.GetAsync(gameId, cancellationToken));

    public ValueTask<string?> SaveAsync(string gameId, GameStatsSettings settings, string? ifMatch, CancellationToken cancellationToken) =>
        Write("stats settings write", () => inner.SaveAsync(gameId, settings, ifMatch, cancellationToken));
}

internal sealed class FaultyWouldHaveReceivedStore(IWouldHaveReceivedStore inner, FaultInjector faults) : FaultyStore(faults), IWouldHaveReceivedStore
{
    // A lost race: the identical record is there, so the caller is told it existed.
    public ValueTask<bool> CreateAsync(WouldHaveReceived record, CancellationToken cancellationToken) =>
        Conditional("would-have-received create", () => inner.CreateAsync(record, cancellationToken), created => created, _ => false);

    public ValueTask<WouldHaveReceived?> GetAsync(string userId, string id, CancellationToken cancellationToken) =>
        Read("would-have-received read", () => inner.GetAsync(userId, id, cancellationToken));

    public ValueTask<IReadOnlyList<WouldHaveReceived>> ListAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        Read("would-have-received list", () => inner.ListAsync(gameId, userId, cancellationToken));
}

internal sealed class FaultyExperimentResultsStore(IExperimentResultsStore inner, FaultInjector faults) : FaultyStore(faults), IExperimentResultsStore
{
    public ValueTask UpsertAsync(ExperimentPartitionCounts counts, CancellationToken cancellationToken) =>
        Write("experiment counts write", () => inner.UpsertAsync(counts, cancellationToken));

    public ValueTask<IReadOnlyList<ExperimentPartitionCounts>> ListAsync(string gameId, string experimentId, CancellationToken cancellationToken) =>
        Read("experiment counts read", () => inner.ListAsync(gameId, experimentId, cancellationToken));
}
