using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GameSignals.Functions.Intake;

/// <summary>
/// When the instance stops (scale-in, deployment, restart), the stages write out what they hold in the states of the
/// partitions it processed (profiles waiting for their hour), so the next owner starts from stored profiles that are
/// current. Best effort: a failure is logged, and the next owner still has it all in the changelog.
/// The pipeline is resolved only when a partition was processed, so an instance that served only HTTP builds nothing.
/// </summary>
internal sealed partial class PartitionStateFlush(PartitionStates states, IServiceProvider services, ILogger<PartitionStateFlush> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (states.Loaded.Count == 0)
        {
            return;
        }

        try
        {
            var pipeline = services.GetRequiredService<EventPipeline>();
            await pipeline.FlushAsync(pipeline.LoadedPartitions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(ex);
        }
    }

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Writing out the partitions' state at shutdown failed; the next owner loads it from the changelog")]
    private partial void LogFlushFailed(Exception exception);
}
