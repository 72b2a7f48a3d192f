using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Stats;

namespace GameSignals.Experiments;

/// <summary>
/// Counts, per partition, the players of each game's experiment and their D1 and D7 returns from session starts (game hub)
/// and their purchases (payment hub), in the partition's state (<see cref="ExperimentState"/>), and writes the small
/// per-arm aggregate outward once per hour of event time and when the partition's state is flushed: no Cosmos request per
/// event. The admin API sums the partitions' aggregates (<see cref="ExperimentResults"/>).
/// </summary>
public sealed class ExperimentStage(StatsSettingsCache settings, IExperimentResultsStore results, StoreRetry retry) : IEventStage, IFlushingStage
{
    public string Name => "experiments";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var state = batch.State.Part<ExperimentState>();
        foreach (var e in batch.Events)
        {
            ExperimentPolicy? experiment = null;
            if (e.Payload is SessionStarted or PurchaseCompleted)
            {
                var policy = await retry.ExecuteAsync(static (s, ct) => s.settings.GetAsync(s.GameId, ct), (settings, e.GameId), cancellationToken).ConfigureAwait(false);
                experiment = policy?.Experiment;
            }

            state.Observe(e, experiment);
        }

        if (state.PublishDue())
        {
            await PublishAsync(batch, state, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask FlushAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var state = batch.State.Part<ExperimentState>();
        return state.Newest is null ? ValueTask.CompletedTask : PublishAsync(batch, state, cancellationToken);
    }

    private async ValueTask PublishAsync(EventBatch batch, ExperimentState state, CancellationToken cancellationToken)
    {
        var asOf = state.Newest!.Value;
        foreach (var (gameId, experimentId, treatment, control) in state.Counts())
        {
            var counts = new ExperimentPartitionCounts(gameId, experimentId, batch.Hub, batch.Partition, treatment, control, asOf);
            await retry.ExecuteAsync(static (s, ct) => s.results.UpsertAsync(s.counts, ct), (results, counts), cancellationToken).ConfigureAwait(false);
        }
    }
}
