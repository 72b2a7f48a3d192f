using GameSignals.Events;

namespace GameSignals.Notifications;

/// <summary>
/// The embedded notification store of replay and tests, with Cosmos semantics: create conflicts,
/// and a TTL measured in event time (a notification expires once the store has seen an event
/// <see cref="Notification.Ttl"/> seconds younger than it).
/// </summary>
public sealed class InMemoryNotificationStore : INotificationStore
{
    private readonly Dictionary<(string UserId, string Id), Notification> _items = new(StringPairComparer.Instance);
    private readonly SharedStrings _shared = new();
    private readonly Lock _gate = new();
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    /// <summary>Every live notification, for replay output and tests.</summary>
    public IReadOnlyList<Notification> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Values.Where(IsAlive)];
            }
        }
    }

    public ValueTask<(Notification Stored, bool Created)> CreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_gate)
        {
            if (notification.Time > _newest)
            {
                _newest = notification.Time;
            }

            var key = (notification.UserId, notification.Id);
            if (_items.TryGetValue(key, out var existing) && IsAlive(existing))
            {
                return ValueTask.FromResult((existing, false));
            }

            // Kept for the whole stream in replay: one copy of the game, user and character ids per player.
            notification = notification with
            {
                GameId = _shared.Get(notification.GameId),
                UserId = _shared.Get(notification.UserId),
                CharacterId = notification.CharacterId is { } character ? _shared.Get(character) : null,
            };
            _items[(notification.UserId, notification.Id)] = notification;
            return ValueTask.FromResult((notification, true));
        }
    }

    public ValueTask<Notification?> GetAsync(string userId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_items.TryGetValue((userId, id), out var n) && IsAlive(n) ? n : null);
        }
    }

    public ValueTask MarkPushEnqueuedAsync(string userId, string id, CancellationToken cancellationToken)
    {
        Update(userId, id, n => n with { PushEnqueued = true });
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> MarkPushDeliveredAsync(string userId, string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Update(userId, id, n => n with { PushDelivered = true }));

    public ValueTask<bool> MarkReadAsync(string userId, string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Update(userId, id, n => n with { Read = true }));

    public ValueTask<InboxPage> ListInboxAsync(string gameId, string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        lock (_gate)
        {
            var inbox = _items.Values
                .Where(n => n.UserId == userId && n.GameId == gameId && n.InInbox && IsAlive(n))
                .OrderByDescending(n => n.Time).ThenByDescending(n => n.Id, StringComparer.Ordinal)
                .ToList();
            var (page, token) = TimeOrderedPages.Page(inbox, n => n.Time, n => n.Id, pageSize, continuationToken, nameof(continuationToken));
            return ValueTask.FromResult(new InboxPage(page, token, inbox.Count(n => !n.Read)));
        }
    }

    private bool Update(string userId, string id, Func<Notification, Notification> change)
    {
        lock (_gate)
        {
            if (!_items.TryGetValue((userId, id), out var n) || !IsAlive(n))
            {
                return false;
            }

            _items[(userId, id)] = change(n);
            return true;
        }
    }

    // A difference of two times always exists; Time + Ttl does not for an event at the end of time.
    private bool IsAlive(Notification n) => n.Ttl <= 0 || _newest - n.Time < TimeSpan.FromSeconds(n.Ttl);
}

/// <summary>The embedded push queue of replay and tests.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue: the Storage queue the push sender reads.")]
public sealed class InMemoryPushQueue : IPushQueue
{
    private readonly List<PushRequest> _requests = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<PushRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public ValueTask EnqueueAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            _requests.Add(request);
        }

        return ValueTask.CompletedTask;
    }
}
