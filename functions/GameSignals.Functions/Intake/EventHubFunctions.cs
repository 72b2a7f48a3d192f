using GameSignals.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Intake;

/// <summary>
/// The two Event Hubs triggers. Each adapts one batch of one partition to
/// <see cref="EventPipeline.ProcessMessagesAsync"/>; everything else happens in Core.
/// </summary>
/// <remarks>
/// A failure to store anything throws out of the function: the retry policy on each function then has
/// the host run the same batch again, and the partition's state and idempotent stages make that safe.
/// The policy is unbounded (-1) because Event Hubs checkpoints even after a failed invocation, so giving
/// up would lose the batch; poison never throws, so only outages retry. It sits on these two functions
/// and not in host.json, where it would apply to every function: HTTP callers would wait minutes and
/// queue messages would never reach their poison queue.
/// </remarks>
public sealed class EventHubFunctions(EventPipeline pipeline)
{
    public const string GameHub = "game-events";
    public const string PaymentHub = "payment-events";

    /// <summary>The app setting (prefix) of the Event Hubs namespace: <c>EventHubs__fullyQualifiedNamespace</c> in Azure.</summary>
    public const string Connection = "EventHubs";

    private const int UnboundedRetries = -1;
    private const string MinimumRetryInterval = "00:00:02";
    private const string MaximumRetryInterval = "00:05:00";

    [Function("GameEvents")]
    [ExponentialBackoffRetry(UnboundedRetries, MinimumRetryInterval, MaximumRetryInterval)]
    public Task GameEventsAsync(
        [EventHubTrigger(GameHub, ConsumerGroup = "gamesignals-game", Connection = Connection, IsBatched = true)] byte[][] messages,
        FunctionContext context) =>
        ProcessAsync(GameHub, messages, context);

    [Function("PaymentEvents")]
    [ExponentialBackoffRetry(UnboundedRetries, MinimumRetryInterval, MaximumRetryInterval)]
    public Task PaymentEventsAsync(
        [EventHubTrigger(PaymentHub, ConsumerGroup = "gamesignals-payment", Connection = Connection, IsBatched = true)] byte[][] messages,
        FunctionContext context) =>
        ProcessAsync(PaymentHub, messages, context);

    private async Task ProcessAsync(string hub, byte[][] messages, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(context);
        var batch = TriggerBatch.Read(hub, messages, context.BindingContext.BindingData);
        await pipeline.ProcessMessagesAsync(hub, batch.Partition, batch.Messages, context.CancellationToken).ConfigureAwait(false);
    }
}
