using GameSignals.Notifications;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyNotificationStore(INotificationStore inner, FaultInjector faults) : FaultyStore(faults), INotificationStore
{
    public ValueTask<(Notification Stored, bool Created)> CreateAsync(Notification notification, CancellationToken cancellationToken) =>
        Conditional("notification create", () => inner.CreateAsync(notification, cancellationToken), r => r.Created, r => (r.Stored, false));

    public ValueTask<Notification?> GetAsync(string userId, string id, CancellationToken cancellationToken) =>
        Read("notification read", () => inner.GetAsync(userId, id, cancellationToken));

    public ValueTask MarkPushEnqueuedAsync(string userId, string id, CancellationToken cancellationToken) =>
        Write("notification mark enqueued", () => inner.MarkPushEnqueuedAsync(userId, id, cancellationToken));

    public ValueTask<bool> MarkPushDeliveredAsync(string userId, string id, CancellationToken cancellationToken) =>
        Write("notification mark delivered", () => inner.MarkPushDeliveredAsync(userId, id, cancellationToken));

    public ValueTask<InboxPage> ListInboxAsync(string gameId, string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        Read("inbox list", () => inner.ListInboxAsync(gameId, userId, pageSize, continuationToken, cancellationToken));

    public ValueTask<bool> MarkReadAsync(string userId, string id, CancellationToken cancellationToken) =>
        Write("notification mark read", () => inner.MarkReadAsync(userId, id, cancellationToken));
}

internal sealed class FaultyShadowNotificationStore(IShadowNotificationStore inner, FaultInjector faults) : FaultyStore(faults), IShadowNotificationStore
{
    public ValueTask<bool> CreateAsync(ShadowRecord record, CancellationToken cancellationToken) =>
        Conditional("shadow record create", () => inner.CreateAsync(record, cancellationToken), created => created, _ => false);

    public ValueTask<ShadowRecord?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken) =>
        Read("shadow record read", () => inner.GetAsync(gameId, ruleId, id, cancellationToken));

    public ValueTask<ShadowPage> ListNotificationsAsync(ShadowQuery query, CancellationToken cancellationToken) =>
        Read("shadow notifications list", () => inner.ListNotificationsAsync(query, cancellationToken));

    public IAsyncEnumerable<ShadowRecord> ScanAsync(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        Faults.BeforeRead("shadow records scan");
        return inner.ScanAsync(gameId, ruleId, since, until, cancellationToken);
    }
}

internal sealed class FaultyPushQueue(IPushQueue inner, FaultInjector faults) : FaultyStore(faults), IPushQueue
{
    public ValueTask EnqueueAsync(PushRequest request, CancellationToken cancellationToken) =>
        Write("push enqueue", () => inner.EnqueueAsync(request, cancellationToken));
}

internal sealed class FaultyPlayerLocaleStore(IPlayerLocaleStore inner, FaultInjector faults) : FaultyStore(faults), IPlayerLocaleStore
{
    public ValueTask<PlayerLocale?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        Read("locale read", () => inner.GetAsync(gameId, userId, cancellationToken));

    public ValueTask SetAsync(string gameId, string userId, PlayerLocale locale, CancellationToken cancellationToken) =>
        Write("locale write", () => inner.SetAsync(gameId, userId, locale, cancellationToken));
}

internal sealed class FaultyRuleStore(IRuleStore inner, FaultInjector faults) : FaultyStore(faults), IRuleStore
{
    public ValueTask<StoredRule?> GetAsync(string gameId, string ruleId, CancellationToken cancellationToken) =>
        Read("rule read", () => inner.GetAsync(gameId, ruleId, cancellationToken));

    public ValueTask<IReadOnlyList<StoredRule>> ListAsync(string gameId, CancellationToken cancellationToken) =>
        Read("rule list", () => inner.ListAsync(gameId, cancellationToken));

    public ValueTask<(RuleWriteStatus Status, StoredRule? Stored)> UpsertAsync(NotificationRule rule, string? ifMatch, CancellationToken cancellationToken) =>
        Write("rule upsert", () => inner.UpsertAsync(rule, ifMatch, cancellationToken));

    public ValueTask<RuleWriteStatus> DeleteAsync(string gameId, string ruleId, string? ifMatch, CancellationToken cancellationToken) =>
        Write("rule delete", () => inner.DeleteAsync(gameId, ruleId, ifMatch, cancellationToken));
}
