using System.Globalization;
using System.Text.Json;
using GameSignals.Azure.Notifications;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Notifications;

/// <summary>
/// Delivers the push requests of <c>push-requests</c> through the configured provider, at most once per
/// notification: the notification record says whether it was delivered. A transient failure throws, so the
/// queue shows the message again after its visibility timeout and, after host.json's
/// <c>maxDequeueCount</c> attempts, moves it to <c>push-requests-poison</c>. A request that will never be
/// delivered (not JSON, refused by the provider, or failing its last attempt) is counted on
/// <see cref="NotificationMetrics.PushPoisoned"/> and logged with its reason.
/// </summary>
public sealed partial class PushSenderFunction(
    INotificationStore notifications,
    IPushProvider provider,
    NotificationMetrics metrics,
    IOptions<PushOptions> options,
    ILogger<PushSenderFunction> logger)
{
    public const string QueueName = StorageQueuePushQueue.QueueName;

    /// <summary>Where the Functions host moves a request after its last failed attempt.</summary>
    public const string PoisonQueueName = StorageQueuePushQueue.PoisonQueueName;

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
            Malformed(ex.Message);
            return;
        }

        if (request is null)
        {
            Malformed("null");
            return;
        }

        var attempt = DequeueCount(context);
        try
        {
            await DeliverAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && attempt >= options.Value.MaxDequeueCount)
        {
            // The host moves the message to the poison queue after this attempt without saying why: say it here.
            Poisoned("exhausted");
            LogExhausted("exhausted", request.NotificationId, request.GameId, attempt, PoisonQueueName, ex.Message);
            throw;
        }
    }

    private async Task DeliverAsync(PushRequest request, CancellationToken cancellationToken)
    {
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
            case PushOutcome.Off:
                LogPushOff(request.NotificationId);
                break;
            case PushOutcome.Retry:
                throw new InvalidOperationException($"The push provider could not take notification {request.NotificationId} now; the queue will retry it.");
            default:
                Poisoned("rejected");
                LogRejected("rejected", request.NotificationId, request.GameId);
                break;
        }
    }

    private void Malformed(string detail)
    {
        Poisoned("malformed");
        LogMalformed("malformed", detail);
    }

    private void Poisoned(string reason) => metrics.PushPoisoned.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The queue trigger's <c>DequeueCount</c> binding data: 1 on the first attempt.</summary>
    private static long DequeueCount(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("DequeueCount", out var value)
        && long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : 0;

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Push poisoned: {Reason}: a push request is not valid JSON and is dropped: {Detail}")]
    private partial void LogMalformed(string reason, string detail);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Notification {NotificationId} no longer exists (expired); its push is dropped")]
    private partial void LogExpired(string notificationId);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Push poisoned: {Reason}: the push provider refused notification {NotificationId} of game {GameId}; it will not be retried")]
    private partial void LogRejected(string reason, string notificationId, string gameId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Push is off (Push:Provider off): notification {NotificationId} is in the inbox only")]
    private partial void LogPushOff(string notificationId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "Push poisoned: {Reason}: notification {NotificationId} of game {GameId} failed attempt {DequeueCount}, its last, and moves to {PoisonQueue}: {Detail}")]
    private partial void LogExhausted(string reason, string notificationId, string gameId, long dequeueCount, string poisonQueue, string detail);
}
