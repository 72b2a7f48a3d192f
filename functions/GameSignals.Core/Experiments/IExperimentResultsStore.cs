using System.Collections.Concurrent;

namespace GameSignals.Experiments;

/// <summary>The partitions' experiment counts (a Cosmos container in Azure, partitioned by game): replaced whole, read summed.</summary>
public interface IExperimentResultsStore
{
    /// <summary>Writes one partition's counts over the ones it wrote before.</summary>
    ValueTask UpsertAsync(ExperimentPartitionCounts counts, CancellationToken cancellationToken);

    /// <summary>Every partition's counts for the experiment.</summary>
    ValueTask<IReadOnlyList<ExperimentPartitionCounts>> ListAsync(string gameId, string experimentId, CancellationToken cancellationToken);
}

/// <summary>The embedded store of replay and tests.</summary>
public sealed class InMemoryExperimentResultsStore : IExperimentResultsStore
{
    private readonly ConcurrentDictionary<(string GameId, string Id), ExperimentPartitionCounts> _counts = new();

    /// <summary>The experiments that have counts (replay's output).</summary>
    public IEnumerable<(string GameId, string ExperimentId)> Experiments => _counts.Values.Select(c => (c.GameId, c.ExperimentId)).Distinct();

    public ValueTask UpsertAsync(ExperimentPartitionCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts[(counts.GameId, counts.Id)] = counts;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ExperimentPartitionCounts>> ListAsync(string gameId, string experimentId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<ExperimentPartitionCounts>>(
            [.. _counts.Values.Where(c => c.GameId == gameId && c.ExperimentId == experimentId).OrderBy(c => c.Id, StringComparer.Ordinal)]);
}
