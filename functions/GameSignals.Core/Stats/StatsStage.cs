using GameSignals.Experiments;
using GameSignals.Notifications;
using GameSignals.Notifications.Conditions;
using GameSignals.Pipeline;

namespace GameSignals.Stats;

/// <summary>
/// Finds players' moments in a batch's events (<see cref="MomentState"/>) and sends the stats messages of the game (active
/// rules on the moment's type, docs/design.md "Stats among similar players"): the player's standing among peers from the
/// <see cref="PeersCache"/>, rendered in their language with its explanation, under the rule's cooldown and channels,
/// through the same <see cref="NotificationDelivery"/> as every rule. A game with an experiment sends to its treatment arm
/// only; a control player's message is recorded as "would have received". Runs after the profile stage.
/// </summary>
/// <remarks>
/// Exactly-once: the notification (or record) id comes from (ruleId, source, eventId) and is created once, and the cooldown
/// remembers which notification opened it, so a redelivered moment writes nothing twice. Without enough peers nothing is
/// sent and no cooldown opens; it is counted.
/// </remarks>
public sealed class StatsStage(
    StatsSettingsCache settings,
    RuleCache rules,
    NotificationDelivery delivery,
    PeersCache peers,
    IWouldHaveReceivedStore wouldHaveReceived,
    StoreRetry retry,
    StatsMetrics metrics) : IEventStage
{
    public string Name => "stats";

    public async ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var moments = batch.State.Part<MomentState>();
        var context = delivery.ForBatch(batch.State.Part<NotificationState>());
        foreach (var e in batch.Events)
        {
            if (!MomentTypes.CanMakeMoment(e.Type))
            {
                continue;
            }

            var policy = await retry.ExecuteAsync(static (s, ct) => s.settings.GetAsync(s.GameId, ct), (settings, e.GameId), cancellationToken).ConfigureAwait(false);
            if (policy is null)
            {
                continue;
            }

            // The state changes once per event; only sending, which is idempotent, may run again.
            foreach (var moment in moments.Observe(e, policy.Moments))
            {
                metrics.Moments.Add(1, new KeyValuePair<string, object?>("type", moment.Type));
                await retry.ExecuteAsync(
                    static (s, ct) => s.Stage.SendAsync(s.Moment, s.Policy, s.Context, ct), (Stage: this, Moment: moment, Policy: policy, Context: context), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private async ValueTask SendAsync(Moment moment, StatsPolicy policy, NotificationDelivery.Batch context, CancellationToken cancellationToken)
    {
        var e = moment.Trigger;
        foreach (var rule in await rules.GetRulesAsync(e.GameId, moment.Type, cancellationToken).ConfigureAwait(false))
        {
            if (rule.State != RuleState.Active || rule.Evaluate(e) != ConditionOutcome.Match)
            {
                continue;
            }

            var standing = await peers.GetAsync(policy, e.UserId, e.Time, cancellationToken).ConfigureAwait(false);
            if (standing is null || standing.PeerCount < policy.MinPeers)
            {
                metrics.NoPeers.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
                continue;
            }

            var arm = policy.Experiment is { } experiment ? ExperimentArms.Of(experiment.Id, e.UserId, experiment.TreatmentShare) : Arm.Treatment;
            var id = Notification.IdFor(rule.Id, e.Source, e.Id);
            Func<CancellationToken, ValueTask<bool>> sentBefore = arm == Arm.Treatment
                ? ct => delivery.WasSentAsync(e.UserId, id, ct)
                : async ct => await wouldHaveReceived.GetAsync(e.UserId, id, ct).ConfigureAwait(false) is not null;
            if (!await context.TryOpenCooldownAsync(rule, e, id, sentBefore, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var notification = await context.RenderAsync(rule, e, standing, cancellationToken).ConfigureAwait(false);
            if (arm == Arm.Treatment)
            {
                if (await delivery.SendAsync(notification, cancellationToken).ConfigureAwait(false))
                {
                    metrics.Sent.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
                }
            }
            else if (await wouldHaveReceived.CreateAsync(new WouldHaveReceived(policy.Experiment!.Id, notification), cancellationToken).ConfigureAwait(false))
            {
                metrics.WouldHaveReceived.Add(1, new KeyValuePair<string, object?>("rule", rule.Id));
            }
        }
    }
}
