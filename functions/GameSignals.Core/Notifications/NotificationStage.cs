using GameSignals.Events;
using GameSignals.Notifications.Conditions;
using GameSignals.Pipeline;
using Microsoft.Extensions.Options;

namespace GameSignals.Notifications;

/// <summary>
/// Turns a batch's events, in partition order, into notifications (contract §3). Per matching rule:
/// cooldown check in event time, render in the player's language, write the notification, then
/// queue the push request. Every write is idempotent, so a redelivered batch changes nothing:
/// the notification id comes from (ruleId, source, eventId), its create treats a conflict as done,
/// and the cooldown remembers which notification opened it.
/// </summary>
public sealed class NotificationStage(
    RuleCache rules,
    INotificationStore notifications,
    IPushQueue push,
    ICooldownStore cooldowns,
    IPlayerLocaleStore locales,
    StoreRetry retry,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    NotificationMetrics metrics) : IEventStage
{
    public string Name => "notifications";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        // Languages read or learnt in this batch: a session start just before an event counts.
        var batchLocales = new Dictionary<(string, string), PlayerLocale?>();
        foreach (var e in batch.Events)
        {
            await retry.ExecuteAsync(
                static (s, ct) => s.Stage.ProcessEventAsync(s.Event, s.Locales, ct), (Stage: this, Event: e, Locales: batchLocales), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>One event through every rule of its type; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask ProcessEventAsync(GameEvent e, Dictionary<(string, string), PlayerLocale?> batchLocales, CancellationToken cancellationToken)
    {
        if (e.Payload is SessionStarted { Locale: var locale } && PlayerLocale.LanguageOf(locale) is { } language)
        {
            await locales.SetAsync(e.GameId, e.UserId, new PlayerLocale(language, e.Time), cancellationToken).ConfigureAwait(false);

            // Read again when needed: the store keeps whichever session is the latest.
            batchLocales.Remove((e.GameId, e.UserId));
        }

        foreach (var rule in await rules.GetRulesAsync(e.GameId, e.Type, cancellationToken).ConfigureAwait(false))
        {
            var outcome = rule.Evaluate(e);
            if (outcome is ConditionOutcome.MissingField or ConditionOutcome.Error)
            {
                metrics.ConditionNoMatch.Add(1, new("rule", rule.Id), new("reason", outcome == ConditionOutcome.MissingField ? "missing_field" : "error"));
            }

            if (outcome == ConditionOutcome.Match)
            {
                await FireAsync(rule, e, batchLocales, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FireAsync(CompiledRule rule, GameEvent e, Dictionary<(string, string), PlayerLocale?> batchLocales, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        if (rule.Cooldown is { } cooldown && !await TryOpenCooldownAsync(rule, cooldown, e, id, cancellationToken).ConfigureAwait(false))
        {
            metrics.Suppressed.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
            return;
        }

        if (!batchLocales.TryGetValue((e.GameId, e.UserId), out var locale))
        {
            locale = await locales.GetAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false);
            batchLocales[(e.GameId, e.UserId)] = locale;
        }

        var template = rule.TemplateFor(locale?.Language);
        var notification = new Notification
        {
            Id = id,
            RuleId = rule.Id,
            GameId = e.GameId,
            UserId = e.UserId,
            CharacterId = e.CharacterId,
            EventId = e.Id,
            Time = e.Time,
            Priority = rule.Priority,
            Channels = rule.ChannelNames,
            Locale = template.Locale,
            Title = template.Title.Render(e),
            Body = template.Body.Render(e),
            CreatedAt = time.GetUtcNow(),
            Ttl = (int)options.Value.InboxTtl.TotalSeconds,
        };

        // The notification first: it is the idempotency record. Then the push request, once.
        var (stored, created) = await notifications.CreateAsync(notification, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            metrics.Created.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
        }

        if (stored.ToPush && !stored.PushEnqueued)
        {
            await push.EnqueueAsync(new PushRequest(stored.Id, stored.GameId, stored.UserId, stored.Title, stored.Body, stored.Priority), cancellationToken).ConfigureAwait(false);
            await notifications.MarkPushEnqueuedAsync(stored.UserId, stored.Id, cancellationToken).ConfigureAwait(false);
            metrics.PushEnqueued.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
        }
    }

    /// <summary>
    /// True when the event may notify: no cooldown younger than <paramref name="cooldown"/> is open for
    /// its key, or the open one is this very notification (a redelivery). Opens the cooldown on success.
    /// </summary>
    private async ValueTask<bool> TryOpenCooldownAsync(CompiledRule rule, TimeSpan cooldown, GameEvent e, string id, CancellationToken cancellationToken)
    {
        var keyValue = rule.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
        var key = new CooldownKey(e.GameId, rule.Id, keyValue);

        // Two writers on one key (an old instance still finishing a batch) is rare: a lost race re-reads once more.
        for (var attempt = 0; ; attempt++)
        {
            var current = await cooldowns.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (current?.NotificationId == id)
            {
                return true;
            }

            // An event older than the one that opened the cooldown (it came late) is inside it too.
            if (current is not null && e.Time < CompiledRule.CooldownEnd(current.OpenedAt, cooldown))
            {
                // Suppressed, unless this event already notified before a later one reopened the cooldown.
                return await notifications.GetAsync(e.UserId, id, cancellationToken).ConfigureAwait(false) is not null;
            }

            var record = new CooldownRecord(key, id, e.Time, CompiledRule.CooldownEnd(e.Time, cooldown));
            if (await cooldowns.TryWriteAsync(record, current?.ETag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (attempt == 2)
            {
                throw new InvalidOperationException($"The cooldown {key} kept changing while it was written; the batch will be retried.");
            }
        }
    }
}
