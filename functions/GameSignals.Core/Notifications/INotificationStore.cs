namespace GameSignals.Notifications;

/// <summary>
/// The <c>notifications</c> container (partition <c>/userId</c>). Create treats an existing id as done,
/// which makes a redelivered event's notification the same one.
/// </summary>
public interface INotificationStore
{
    /// <summary>Creates the notification; when the id exists, returns the stored one and <c>Created = false</c>.</summary>
    ValueTask<(Notification Stored, bool Created)> CreateAsync(Notification notification, CancellationToken cancellationToken);

    ValueTask<Notification?> GetAsync(string userId, string id, CancellationToken cancellationToken);

    /// <summary>Records that the push request of a notification is queued.</summary>
    ValueTask MarkPushEnqueuedAsync(string userId, string id, CancellationToken cancellationToken);

    /// <summary>Records that the provider accepted the push. False when the user has no such notification.</summary>
    ValueTask<bool> MarkPushDeliveredAsync(string userId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the user's inbox in one game (inbox channel only), newest first, with the unread count.
    /// A token this store did not hand out throws <see cref="ArgumentException"/> for <paramref name="continuationToken"/>.
    /// </summary>
    ValueTask<InboxPage> ListInboxAsync(string gameId, string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Marks read; idempotent. False when the user has no such notification.</summary>
    ValueTask<bool> MarkReadAsync(string userId, string id, CancellationToken cancellationToken);
}

public sealed record InboxPage(IReadOnlyList<Notification> Items, string? ContinuationToken, int UnreadCount);

/// <summary>The queue the push sender consumes. Delivery is at least once: the sender dedupes by notification id.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the Storage queue the push sender reads.")]
public interface IPushQueue
{
    ValueTask EnqueueAsync(PushRequest request, CancellationToken cancellationToken);
}
