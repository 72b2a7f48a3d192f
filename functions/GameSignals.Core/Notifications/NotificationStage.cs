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
/// and the cooldown remembers which notification opened it. A shadow rule goes the same way with its own
/// cooldowns into the shadow store, never to an inbox or a push. Cooldowns and languages are the partition's
/// (<see cref="NotificationState"/>); a language is also written to <see cref="IPlayerLocaleStore"/> when it changes,
/// for the payment hub's notifications.
/// </summary>
public sealed class NotificationStage(
    RuleCache rules,
    INotificationStore notifications,
    IShadowNotificationStore shadows,
    IPushQueue push,
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

        var context = new BatchContext(batch.State.Part<NotificationState>());
        foreach (var e in batch.Events)
        {
            await retry.ExecuteAsync(
                static (s, ct) => s.Stage.ProcessEventAsync(s.Event, s.Context, ct), (Stage: this, Event: e, Context: context), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>One event through every rule of its type; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask ProcessEventAsync(GameEvent e, BatchContext context, CancellationToken cancellationToken)
    {
        if (e.Payload is SessionStarted { Locale: var locale } && PlayerLocale.LanguageOf(locale) is { } language)
        {
            var learnt = new PlayerLocale(language, e.Time);
            if (context.State.SetLocale(e.GameId, e.UserId, learnt))
            {
                // The other hub's partitions read it from the shared store; an unchanged language costs no write.
                await locales.SetAsync(e.GameId, e.UserId, learnt, cancellationToken).ConfigureAwait(false);
            }
        }

        var typeRules = await rules.GetRulesAsync(e.GameId, e.Type, cancellationToken).ConfigureAwait(false);

        // Active rules come first; the active rules that matched are only needed when a candidate follows.
        HashSet<string>? activeMatches = typeRules.Count > 0 && typeRules[^1].State == RuleState.Shadow ? new(StringComparer.Ordinal) : null;
        foreach (var rule in typeRules)
        {
            var outcome = rule.Evaluate(e);
            if (outcome is ConditionOutcome.MissingField or ConditionOutcome.Error)
            {
                metrics.ConditionNoMatch.Add(1, new("rule", rule.Id), new("reason", outcome == ConditionOutcome.MissingField ? "missing_field" : "error"));
            }

            var matched = outcome == ConditionOutcome.Match;
            if (rule.State == RuleState.Shadow)
            {
                var activeMatched = rule.Rule.ShadowOf is { } active && activeMatches!.Contains(active);
                if (matched || activeMatched)
                {
                    await RecordShadowAsync(rule, e, matched, activeMatched, context, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (matched)
            {
                activeMatches?.Add(rule.Id);
                await FireAsync(rule, e, context, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FireAsync(CompiledRule rule, GameEvent e, BatchContext context, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        if (rule.Cooldown is { } cooldown && !await TryOpenCooldownAsync(rule, cooldown, e, id, context.State, cancellationToken).ConfigureAwait(false))
        {
            metrics.Suppressed.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
            return;
        }

        var notification = await RenderAsync(rule, e, context, cancellationToken).ConfigureAwait(false);

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

    /// <summary>What a shadow rule would have done with the event, with its own cooldowns; one record, created once.</summary>
    private async ValueTask RecordShadowAsync(
        CompiledRule rule, GameEvent e, bool matched, bool activeMatched, BatchContext context, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        Notification? wouldSend = null;
        if (matched && (rule.Cooldown is not { } cooldown || await TryOpenCooldownAsync(rule, cooldown, e, id, context.State, cancellationToken).ConfigureAwait(false)))
        {
            wouldSend = await RenderAsync(rule, e, context, cancellationToken).ConfigureAwait(false);
        }

        var record = new ShadowRecord
        {
            Id = id,
            GameId = e.GameId,
            RuleId = rule.Id,
            ShadowOf = rule.Rule.ShadowOf,
            EventId = e.Id,
            UserId = e.UserId,
            Time = e.Time,
            Matched = matched,
            ActiveMatched = activeMatched,
            Notification = wouldSend,
            Ttl = (int)options.Value.ShadowRetention.TotalSeconds,
        };
        if (await shadows.CreateAsync(record, cancellationToken).ConfigureAwait(false) && wouldSend is not null)
        {
            metrics.ShadowRecorded.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
        }
    }

    /// <summary>
    /// The notification a rule sends for an event, in the player's language: the partition's, or else the shared store's
    /// (the payment hub's partitions; read once per batch and player).
    /// </summary>
    private async ValueTask<Notification> RenderAsync(CompiledRule rule, GameEvent e, BatchContext context, CancellationToken cancellationToken)
    {
        var locale = context.State.Locale(e.GameId, e.UserId);
        if (locale is null && !context.SharedLocales.TryGetValue((e.GameId, e.UserId), out locale))
        {
            locale = await locales.GetAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false);
            context.SharedLocales[(e.GameId, e.UserId)] = locale;
        }

        return rule.Render(e, locale?.Language) with { CreatedAt = time.GetUtcNow(), Ttl = (int)options.Value.InboxTtl.TotalSeconds };
    }

    /// <summary>
    /// True when the event may notify: no cooldown younger than <paramref name="cooldown"/> is open for
    /// its key, or the open one is this very notification (a redelivery). Opens the cooldown on success.
    /// </summary>
    private async ValueTask<bool> TryOpenCooldownAsync(CompiledRule rule, TimeSpan cooldown, GameEvent e, string id, NotificationState state, CancellationToken cancellationToken)
    {
        var keyValue = rule.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
        var shadow = rule.State == RuleState.Shadow;
        var key = new CooldownKey(e.GameId, rule.Id, keyValue, shadow);
        var current = state.Cooldown(key);
        if (current?.NotificationId == id)
        {
            return true;
        }

        // An event older than the one that opened the cooldown (it came late) is inside it too.
        if (current is not null && e.Time < CompiledRule.CooldownEnd(current.OpenedAt, cooldown))
        {
            // Suppressed, unless this event already notified before a later one reopened the cooldown.
            return shadow
                ? await shadows.GetAsync(e.GameId, rule.Id, id, cancellationToken).ConfigureAwait(false) is { Notification: not null }
                : await notifications.GetAsync(e.UserId, id, cancellationToken).ConfigureAwait(false) is not null;
        }

        state.OpenCooldown(new CooldownRecord(key, id, e.Time, CompiledRule.CooldownEnd(e.Time, cooldown)));
        return true;
    }

    /// <summary>What the events of one batch share: the partition's notification state and the languages read from the shared store.</summary>
    private sealed record BatchContext(NotificationState State)
    {
        public Dictionary<(string, string), PlayerLocale?> SharedLocales { get; } = [];
    }
}
