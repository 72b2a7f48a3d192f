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
/// cooldowns into the shadow store, never to an inbox or a push.
/// </summary>
public sealed class NotificationStage(
    RuleCache rules,
    INotificationStore notifications,
    IShadowNotificationStore shadows,
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
                    await RecordShadowAsync(rule, e, matched, activeMatched, batchLocales, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (matched)
            {
                activeMatches?.Add(rule.Id);
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

        var notification = await RenderAsync(rule, e, id, batchLocales, cancellationToken).ConfigureAwait(false);

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
        CompiledRule rule, GameEvent e, bool matched, bool activeMatched, Dictionary<(string, string), PlayerLocale?> batchLocales, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        Notification? wouldSend = null;
        if (matched && (rule.Cooldown is not { } cooldown || await TryOpenCooldownAsync(rule, cooldown, e, id, cancellationToken).ConfigureAwait(false)))
        {
            wouldSend = await RenderAsync(rule, e, id, batchLocales, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The notification a rule sends for an event, in the player's language (read once per batch and player).</summary>
    private async ValueTask<Notification> RenderAsync(
        CompiledRule rule, GameEvent e, string id, Dictionary<(string, string), PlayerLocale?> batchLocales, CancellationToken cancellationToken)
    {
        if (!batchLocales.TryGetValue((e.GameId, e.UserId), out var locale))
        {
            locale = await locales.GetAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false);
            batchLocales[(e.GameId, e.UserId)] = locale;
        }

        var template = rule.TemplateFor(locale?.Language);
        return new Notification
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
    }

    /// <summary>
    /// True when the event may notify: no cooldown younger than <paramref name="cooldown"/> is open for
    /// its key, or the open one is this very notification (a redelivery). Opens the cooldown on success.
    /// </summary>
    private async ValueTask<bool> TryOpenCooldownAsync(CompiledRule rule, TimeSpan cooldown, GameEvent e, string id, CancellationToken cancellationToken)
    {
        var keyValue = rule.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
        var shadow = rule.State == RuleState.Shadow;
        var key = new CooldownKey(e.GameId, rule.Id, keyValue, shadow);

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
                return shadow
                    ? await shadows.GetAsync(e.GameId, rule.Id, id, cancellationToken).ConfigureAwait(false) is { Notification: not null }
                    : await notifications.GetAsync(e.UserId, id, cancellationToken).ConfigureAwait(false) is not null;
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
