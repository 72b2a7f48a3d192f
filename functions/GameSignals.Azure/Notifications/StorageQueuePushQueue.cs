using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using GameSignals.Notifications;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Push requests as JSON messages on the Storage queue <c>push-requests</c>, base64-encoded as the
/// Functions queue trigger decodes them by default. Both queues are created at start-up
/// (<see cref="NotificationsAzureServiceCollectionExtensions.AddNotificationsAzure"/>); a queue deleted since is created again on a 404.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the Storage queue the push sender reads.")]
public sealed class StorageQueuePushQueue : IPushQueue
{
    public const string QueueName = "push-requests";

    /// <summary>Where the Functions host moves a request after its last attempt (the host's naming convention).</summary>
    public const string PoisonQueueName = QueueName + "-poison";

    private readonly QueueClient _queue;

    public StorageQueuePushQueue(QueueServiceClient service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _queue = service.GetQueueClient(QueueName);
    }

    public async ValueTask EnqueueAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(request, NotificationsJsonContext.Default.PushRequest));
        try
        {
            await _queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await _queue.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }
}
