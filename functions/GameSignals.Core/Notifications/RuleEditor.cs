namespace GameSignals.Notifications;

public enum RuleEditStatus
{
    Done,
    NotFound,

    /// <summary>The If-Match ETag is not the current one.</summary>
    PreconditionFailed,

    /// <summary>The rule is valid alone but not with the others (<see cref="RuleEditResult.Problem"/>).</summary>
    Invalid,

    /// <summary>The rule is not in a state the action applies to (<see cref="RuleEditResult.Detail"/>).</summary>
    Conflict,
}

public sealed record RuleEditResult(RuleEditStatus Status, StoredRule? Stored = null, RuleProblem? Problem = null, string? Detail = null);

/// <summary>
/// Every change an operator makes to rules: save, delete, promote a shadow candidate. Each is written to the rule
/// store and then kept in the rule history with who made it and the rule before and after. The history entry's
/// id comes from the version written, so a retried request records a change once; a version whose entry is
/// missing (its request failed between the two writes, or it predates the history) is recorded when the rule
/// is next changed, as recorded late.
/// </summary>
public sealed class RuleEditor(IRuleStore rules, IRuleHistoryStore history, TimeProvider time)
{
    /// <summary>Writes made while the rule changed under them before the request is given up as a 412.</summary>
    private const int MaxAttempts = 3;

    /// <summary>
    /// Creates or replaces a rule already valid alone (<see cref="CompiledRule.TryCompile"/>); a candidate must name
    /// an active rule of the game on the same event type (problem field <c>$.shadowOf</c>).
    /// </summary>
    public async ValueTask<RuleEditResult> SaveAsync(NotificationRule rule, string? ifMatch, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.ShadowOf is { } shadowOf)
        {
            var target = await rules.GetAsync(rule.GameId, shadowOf, cancellationToken).ConfigureAwait(false);
            if (CompiledRule.CandidateProblem(rule, target?.Rule, "$") is { } problem)
            {
                return new RuleEditResult(RuleEditStatus.Invalid, Problem: problem);
            }
        }

        return await WriteAsync(rule, ifMatch, by, kind: null, note: null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RuleEditResult> DeleteAsync(string gameId, string ruleId, string? ifMatch, string by, CancellationToken cancellationToken) =>
        await DeleteAsync(gameId, ruleId, ifMatch, by, note: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Makes a shadow rule active. A candidate (<c>shadowOf</c>) replaces the active rule it names, which keeps its id,
    /// so its notifications' ids and cooldowns carry on, and the candidate is deleted; a shadow rule without one
    /// becomes active in place.
    /// </summary>
    public async ValueTask<RuleEditResult> PromoteAsync(string gameId, string ruleId, string? ifMatch, string by, CancellationToken cancellationToken)
    {
        if (await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false) is not { } candidate)
        {
            return new RuleEditResult(RuleEditStatus.NotFound);
        }

        if (ifMatch is not null && ifMatch != "*" && ifMatch != candidate.ETag)
        {
            return new RuleEditResult(RuleEditStatus.PreconditionFailed);
        }

        if (candidate.Rule.State != "shadow")
        {
            return new RuleEditResult(RuleEditStatus.Conflict, Detail: $"Rule {ruleId} of game {gameId} is {candidate.Rule.State ?? "active"}: only a shadow rule is promoted.");
        }

        if (candidate.Rule.ShadowOf is not { } activeId)
        {
            return await WriteAsync(candidate.Rule with { State = "active" }, candidate.ETag, by, RuleChange.Promoted, "promoted from shadow", cancellationToken).ConfigureAwait(false);
        }

        var promoted = await WriteAsync(
            candidate.Rule with { Id = activeId, State = "active", ShadowOf = null }, ifMatch: null, by, RuleChange.Promoted, $"promoted from shadow rule '{ruleId}'", cancellationToken)
            .ConfigureAwait(false);
        if (promoted.Status != RuleEditStatus.Done)
        {
            return promoted;
        }

        // Had this failed, both rules would stay (the candidate still in shadow, sending nothing) and a retry finishes it.
        var deleted = await DeleteAsync(gameId, ruleId, candidate.ETag, by, $"promoted into rule '{activeId}'", cancellationToken).ConfigureAwait(false);
        return deleted.Status is RuleEditStatus.Done or RuleEditStatus.NotFound ? promoted : deleted;
    }

    /// <summary>
    /// Writes the rule with <paramref name="ifMatch"/>, or, without one, over the version read just before (again
    /// when another writer came in between), so the history's "before" is the version replaced.
    /// </summary>
    private async ValueTask<RuleEditResult> WriteAsync(NotificationRule rule, string? ifMatch, string by, string? kind, string? note, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await rules.GetAsync(rule.GameId, rule.Id, cancellationToken).ConfigureAwait(false);
            if (ifMatch is not null && (before is null || (ifMatch != "*" && ifMatch != before.ETag)))
            {
                return new RuleEditResult(RuleEditStatus.PreconditionFailed);
            }

            await RecordMissingAsync(before, cancellationToken).ConfigureAwait(false);
            var (status, stored) = await rules.UpsertAsync(rule, before?.ETag, cancellationToken).ConfigureAwait(false);
            if (status == RuleWriteStatus.Done)
            {
                await history.AppendAsync(
                    Change(RuleChange.IdFor(rule.GameId, rule.Id, stored!.ETag), rule.GameId, rule.Id, kind ?? RuleChange.KindOf(before?.Rule, rule), by, before?.Rule, rule, note),
                    cancellationToken).ConfigureAwait(false);
                return new RuleEditResult(RuleEditStatus.Done, stored);
            }

            if (ifMatch is not null || attempt == MaxAttempts)
            {
                return new RuleEditResult(RuleEditStatus.PreconditionFailed);
            }
        }
    }

    private async ValueTask<RuleEditResult> DeleteAsync(string gameId, string ruleId, string? ifMatch, string by, string? note, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false) is not { } before)
            {
                return new RuleEditResult(RuleEditStatus.NotFound);
            }

            if (ifMatch is not null && ifMatch != "*" && ifMatch != before.ETag)
            {
                return new RuleEditResult(RuleEditStatus.PreconditionFailed);
            }

            await RecordMissingAsync(before, cancellationToken).ConfigureAwait(false);
            switch (await rules.DeleteAsync(gameId, ruleId, before.ETag, cancellationToken).ConfigureAwait(false))
            {
                case RuleWriteStatus.Done:
                    await history.AppendAsync(
                        Change(RuleChange.IdFor(gameId, ruleId, before.ETag, deleted: true), gameId, ruleId, RuleChange.Deleted, by, before.Rule, null, note),
                        cancellationToken).ConfigureAwait(false);
                    return new RuleEditResult(RuleEditStatus.Done);
                case RuleWriteStatus.PreconditionFailed when ifMatch is null && attempt < MaxAttempts:
                    continue;
                case RuleWriteStatus.NotFound when ifMatch is null:
                    return new RuleEditResult(RuleEditStatus.NotFound);
                default:
                    return new RuleEditResult(RuleEditStatus.PreconditionFailed);
            }
        }
    }

    /// <summary>Records the current version when no change made it in the history (see the class remarks).</summary>
    private async ValueTask RecordMissingAsync(StoredRule? current, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            return;
        }

        var (gameId, ruleId) = (current.Rule.GameId, current.Rule.Id);
        var id = RuleChange.IdFor(gameId, ruleId, current.ETag);
        if (await history.GetAsync(gameId, ruleId, id, cancellationToken).ConfigureAwait(false) is null)
        {
            // Dated a tick before the change about to be recorded, so the history lists the two in the order they happened.
            var late = Change(id, gameId, ruleId, RuleChange.Updated, "unknown", null, current.Rule, "recorded late: the write that made this version left no history entry");
            await history.AppendAsync(late with { At = late.At.AddTicks(-1) }, cancellationToken).ConfigureAwait(false);
        }
    }

    private RuleChange Change(string id, string gameId, string ruleId, string kind, string by, NotificationRule? before, NotificationRule? after, string? note) => new()
    {
        Id = id, GameId = gameId, RuleId = ruleId, Kind = kind, By = by, At = time.GetUtcNow(), Before = before, After = after, Note = note,
    };
}
