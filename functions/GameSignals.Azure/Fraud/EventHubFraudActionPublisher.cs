using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using GameSignals.Fraud;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Publishes block flags to the <c>fraud-actions</c> hub: one event per flag, the flag's JSON as body, the flag id as
/// message id (consumers drop repeats by it) and the user id as partition key (a user's actions stay in order).
/// It owns the producer and closes it when disposed.
/// </summary>
public sealed class EventHubFraudActionPublisher(EventHubProducerClient producer) : IFraudActionPublisher, IAsyncDisposable, IDisposable
{
    public const string HubName = "fraud-actions";

    public async ValueTask PublishAsync(FraudFlag flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var message = new EventData(Encoding.UTF8.GetBytes(flag.ToJson())) { MessageId = flag.Id, ContentType = "application/json" };
        await producer.SendAsync([message], new SendEventOptions { PartitionKey = flag.UserId }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();

    /// <summary>For containers disposed synchronously; the Functions host disposes asynchronously.</summary>
    public void Dispose() => producer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
