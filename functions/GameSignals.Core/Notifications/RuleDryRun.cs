using GameSignals.Events;
using GameSignals.Notifications.Conditions;

namespace GameSignals.Notifications;

/// <summary>What a dry run of a rule says about one event; <see cref="Notification"/> is set for a match only.</summary>
public sealed record DryRunResult(string EventId, DryRunOutcome Outcome, Notification? Notification);

/// <summary>What a rule would do with one event.</summary>
public enum DryRunOutcome
{
    Match,
    NoMatch,

    /// <summary>The condition reads a field the event does not have.</summary>
    MissingField,

    /// <summary>The condition failed on the event (an overflow, a type error).</summary>
    Error,

    /// <summary>The event is not of the rule's event type.</summary>
    OtherType,

    /// <summary>It matched, but the rule's cooldown, opened by an earlier event of the run, holds it back.</summary>
    Suppressed,
}

/// <summary>
/// A rule's dry run, beside the <see cref="NotificationStage"/> it imitates: the same condition, template choice and
/// cooldown key, over a handful of events and writing nothing. Cooldowns count among these events only, and each
/// player's language is the one a <c>game.session.started</c> among them sets, else the one stored for the player.
/// </summary>
public static class RuleDryRun
{
    public static async ValueTask<IReadOnlyList<DryRunResult>> RunAsync(
        CompiledRule rule, IReadOnlyList<GameEvent> events, IPlayerLocaleStore locales, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(locales);
        var results = new List<DryRunResult>(events.Count);
        var cooldowns = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var languages = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Payload is SessionStarted { Locale: var locale } && PlayerLocale.LanguageOf(locale) is { } language)
            {
                languages[e.UserId] = language;
            }

            var outcome = e.Type != rule.Rule.EventType ? DryRunOutcome.OtherType : rule.Evaluate(e) switch
            {
                ConditionOutcome.Match => DryRunOutcome.Match,
                ConditionOutcome.NoMatch => DryRunOutcome.NoMatch,
                ConditionOutcome.MissingField => DryRunOutcome.MissingField,
                _ => DryRunOutcome.Error,
            };
            if (outcome == DryRunOutcome.Match && rule.Cooldown is { } cooldown)
            {
                var key = rule.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
                if (cooldowns.TryGetValue(key, out var opened) && e.Time < CompiledRule.CooldownEnd(opened, cooldown))
                {
                    outcome = DryRunOutcome.Suppressed;
                }
                else
                {
                    cooldowns[key] = e.Time;
                }
            }

            if (outcome != DryRunOutcome.Match)
            {
                results.Add(new DryRunResult(e.Id, outcome, null));
                continue;
            }

            if (!languages.TryGetValue(e.UserId, out var userLanguage))
            {
                userLanguage = (await locales.GetAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false))?.Language;
                languages[e.UserId] = userLanguage;
            }

            results.Add(new DryRunResult(e.Id, outcome, rule.Render(e, userLanguage)));
        }

        return results;
    }
}
