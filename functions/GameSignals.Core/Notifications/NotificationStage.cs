using GameSignals.Events;
using GameSignals.Notifications.Conditions;
using GameSignals.Pipeline;
using GameSignals.Stats;
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
    NotificationDelivery delivery,
    IShadowNotificationStore shadows,
    IPlayerLocaleStore locales,
    StoreRetry retry,
    IOptions<NotificationOptions> options,
    NotificationMetrics metrics) : IEventStage
{
    public string Name => "notifications";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        var context = delivery.ForBatch(batch.State.Part<NotificationState>());
        var batchRules = rules.ForBatch();
        foreach (var e in batch.Events)
        {
            await retry.ExecuteAsync(
                static (s, ct) => s.Stage.ProcessEventAsync(s.Event, s.Rules, s.Context, ct), (Stage: this, Event: e, Rules: batchRules, Context: context), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>One event through every rule of its type; a unit that <see cref="StoreRetry"/> may run again.</summary>
    private async ValueTask ProcessEventAsync(GameEvent e, RuleCache.BatchRules batchRules, NotificationDelivery.Batch context, CancellationToken cancellationToken)
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

        // Rules on moments are the stats stage's: no event of the contract has such a type, and one that claims it is not a moment.
        if (MomentTypes.IsMoment(e.Type))
        {
            return;
        }

        var typeRules = await batchRules.GetRulesAsync(e.GameId, e.Type, cancellationToken).ConfigureAwait(false);

        // Active rules come first; the active rules that matched are only needed when a candidate follows.
        HashSet<string>? activeMatches = typeRules.Count > 0 && typeRules[^1].State == RuleState.Shadow ? new(StringComparer.Ordinal) : null;
        for (var i = 0; i < typeRules.Count; i++)
        {
            var rule = typeRules[i];
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

    private async ValueTask FireAsync(CompiledRule rule, GameEvent e, NotificationDelivery.Batch context, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        if (!await context.TryOpenCooldownAsync(rule, e, id, ct => delivery.WasSentAsync(e.UserId, id, ct), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var notification = await context.RenderAsync(rule, e, peers: null, cancellationToken).ConfigureAwait(false);
        await delivery.SendAsync(notification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a shadow rule would have done with the event, with its own cooldowns; one record, created once.</summary>
    private async ValueTask RecordShadowAsync(
        CompiledRule rule, GameEvent e, bool matched, bool activeMatched, NotificationDelivery.Batch context, CancellationToken cancellationToken)
    {
        var id = Notification.IdFor(rule.Id, e.Source, e.Id);
        Notification? wouldSend = null;
        if (matched && await context.TryOpenCooldownAsync(
                rule, e, id, async ct => await shadows.GetAsync(e.GameId, rule.Id, id, ct).ConfigureAwait(false) is { Notification: not null }, cancellationToken)
            .ConfigureAwait(false))
        {
            wouldSend = await context.RenderAsync(rule, e, peers: null, cancellationToken).ConfigureAwait(false);
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
}
