using System.Text.Json;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GameSignals.Functions.Notifications;

/// <summary>
/// Delivers the push requests of <c>push-requests</c> through the configured provider, at most once per
/// notification: the notification record says whether it was delivered. A transient failure throws, so the
/// queue shows the message again after its visibility timeout and, after host.json's
/// <c>maxDequeueCount</c> attempts, moves it to <c>push-requests-poison</c>. A refusal is logged and completed.
/// </summary>
public sealed partial class PushSenderFunction(INotificationStore notifications, IPushProvider provider, ILogger<PushSenderFunction> logger)
{
    public const string QueueName = "push-requests";

    /// <summary>The app setting (prefix) of the storage account: <c>Storage__queueServiceUri</c> in Azure.</summary>
    public const string Connection = "Storage";

    [Function("PushSender")]
    public async Task RunAsync([QueueTrigger(QueueName, Connection = Connection)] string message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        PushRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(message, NotificationsJsonContext.Default.PushRequest);
        }
        catch (JsonException ex)
        {
            LogMalformed(ex.Message);
            return;
        }

        if (request is null)
        {
            LogMalformed("null");
            return;
        }

        var cancellationToken = context.CancellationToken;
        var notification = await notifications.GetAsync(request.UserId, request.NotificationId, cancellationToken).ConfigureAwait(false);
        if (notification is null)
        {
            LogExpired(request.NotificationId);
            return;
        }

        if (notification.PushDelivered)
        {
            return;
        }

        switch (await provider.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            case PushOutcome.Delivered:
                await notifications.MarkPushDeliveredAsync(request.UserId, request.NotificationId, cancellationToken).ConfigureAwait(false);
                break;
            case PushOutcome.Retry:
                throw new InvalidOperationException($"The push provider could not take notification {request.NotificationId} now; the queue will retry it.");
            default:
                LogRejected(request.NotificationId, request.GameId);
                break;
        }
    }

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "A push request is not valid JSON and is dropped: {Reason}")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Notification {NotificationId} no longer exists (expired); its push is dropped")]
    private partial void LogExpired(string notificationId);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The push provider refused notification {NotificationId} of game {GameId}; it will not be retried")]
    private partial void LogRejected(string notificationId, string gameId);
}
