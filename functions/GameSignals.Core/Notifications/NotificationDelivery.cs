using GameSignals.Events;
using GameSignals.Stats;
using Microsoft.Extensions.Options;

namespace GameSignals.Notifications;

/// <summary>
/// Sending a notification, as the notification stage and the stats stage both do: the rule's cooldown in the partition's
/// <see cref="NotificationState"/>, the player's language, the notification written once under its deterministic id, then
/// its push request queued once. <see cref="ForBatch"/> gives what one batch's events share.
/// </summary>
public sealed class NotificationDelivery(
    INotificationStore notifications, IPushQueue push, IPlayerLocaleStore locales, IOptions<NotificationOptions> options, TimeProvider time, NotificationMetrics metrics)
{
    /// <summary>The sending of one batch of one partition.</summary>
    public Batch ForBatch(NotificationState state) => new(this, state);

    /// <summary>Writes the notification (the idempotency record), then queues its push request once; true when it was new.</summary>
    public async ValueTask<bool> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var (stored, created) = await notifications.CreateAsync(notification, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            metrics.Created.Add(1, new KeyValuePair<string, object?>("rule", notification.RuleId));
        }

        if (stored.ToPush && !stored.PushEnqueued)
        {
            await push.EnqueueAsync(new PushRequest(stored.Id, stored.GameId, stored.UserId, stored.Title, stored.Body, stored.Priority), cancellationToken).ConfigureAwait(false);
            await notifications.MarkPushEnqueuedAsync(stored.UserId, stored.Id, cancellationToken).ConfigureAwait(false);
            metrics.PushEnqueued.Add(1, new KeyValuePair<string, object?>("rule", notification.RuleId));
        }

        return created;
    }

    /// <summary>Whether an active rule's notification was written before (a redelivery's cooldown check).</summary>
    public async ValueTask<bool> WasSentAsync(string userId, string id, CancellationToken cancellationToken) =>
        await notifications.GetAsync(userId, id, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>What the events of one batch share: the partition's notification state and the languages read from the shared store.</summary>
    public sealed class Batch
    {
        private readonly NotificationDelivery _delivery;
        private readonly Dictionary<(string, string), PlayerLocale?> _sharedLocales = new(StringPairComparer.Instance);

        internal Batch(NotificationDelivery delivery, NotificationState state)
        {
            _delivery = delivery;
            State = state;
        }

        public NotificationState State { get; }

        /// <summary>
        /// The notification a rule sends for an event, in the player's language: the partition's, or else the shared store's
        /// (the payment hub's partitions; read once per batch and player). A stats message shows and explains <paramref name="peers"/>.
        /// </summary>
        public async ValueTask<Notification> RenderAsync(CompiledRule rule, GameEvent e, PeerStanding? peers, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(rule);
            ArgumentNullException.ThrowIfNull(e);
            var locale = State.Locale(e.GameId, e.UserId);
            if (locale is null && !_sharedLocales.TryGetValue((e.GameId, e.UserId), out locale))
            {
                locale = await _delivery.SharedLocaleAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false);
                _sharedLocales[(e.GameId, e.UserId)] = locale;
            }

            return _delivery.Stamped(rule.Render(e, locale?.Language, peers));
        }

        /// <summary>
        /// True when the event may notify: no cooldown younger than the rule's is open for its key, or the open one is this
        /// very notification (a redelivery), or a later event reopened it after this one was sent (<paramref name="sentBefore"/>).
        /// Opens the cooldown on success; always true for a rule without a cooldown.
        /// </summary>
        public async ValueTask<bool> TryOpenCooldownAsync(
            CompiledRule rule, GameEvent e, string id, Func<CancellationToken, ValueTask<bool>> sentBefore, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(rule);
            ArgumentNullException.ThrowIfNull(e);
            ArgumentNullException.ThrowIfNull(sentBefore);
            if (rule.Cooldown is not { } cooldown)
            {
                return true;
            }

            var keyValue = rule.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
            var key = new CooldownKey(e.GameId, rule.Id, keyValue, rule.State == RuleState.Shadow);
            var current = State.Cooldown(key);
            if (current?.NotificationId == id)
            {
                return true;
            }

            // An event older than the one that opened the cooldown (it came late) is inside it too.
            if (current is not null && e.Time < CompiledRule.CooldownEnd(current.OpenedAt, cooldown))
            {
                // Suppressed, unless this event already notified before a later one reopened the cooldown.
                if (await sentBefore(cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                if (rule.State != RuleState.Shadow)
                {
                    _delivery.CountSuppressed(rule.Id);
                }

                return false;
            }

            State.OpenCooldown(new CooldownRecord(key, id, e.Time, CompiledRule.CooldownEnd(e.Time, cooldown)));
            return true;
        }
    }

    private ValueTask<PlayerLocale?> SharedLocaleAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        locales.GetAsync(gameId, userId, cancellationToken);

    /// <summary>The notification with its creation time and time to live, which the store's writer sets.</summary>
    private Notification Stamped(Notification notification) =>
        notification with { CreatedAt = time.GetUtcNow(), Ttl = (int)options.Value.InboxTtl.TotalSeconds };

    private void CountSuppressed(string ruleId) => metrics.Suppressed.Add(1, new KeyValuePair<string, object?>("rule", ruleId));
}
