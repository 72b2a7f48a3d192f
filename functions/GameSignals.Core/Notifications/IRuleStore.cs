namespace GameSignals.Notifications;

/// <summary>A rule with the store's version of it (the ETag).</summary>
public sealed record StoredRule(NotificationRule Rule, string ETag);

public enum RuleWriteStatus
{
    Done,
    NotFound,

    /// <summary>The If-Match ETag is not the current one (someone changed the rule meanwhile).</summary>
    PreconditionFailed,
}

/// <summary>Rules per game, each with an ETag. Writes with an ETag follow If-Match semantics.</summary>
public interface IRuleStore
{
    ValueTask<StoredRule?> GetAsync(string gameId, string ruleId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<StoredRule>> ListAsync(string gameId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces the rule. With <paramref name="ifMatch"/>, only when the stored ETag is that
    /// one (<c>*</c>: only when it exists). Returns the new version, or the reason it was not written.
    /// </summary>
    ValueTask<(RuleWriteStatus Status, StoredRule? Stored)> UpsertAsync(NotificationRule rule, string? ifMatch, CancellationToken cancellationToken);

    ValueTask<RuleWriteStatus> DeleteAsync(string gameId, string ruleId, string? ifMatch, CancellationToken cancellationToken);
}

public sealed class InMemoryRuleStore : IRuleStore
{
    private readonly Dictionary<(string GameId, string Id), StoredRule> _rules = [];
    private readonly Lock _gate = new();
    private long _version;

    public ValueTask<StoredRule?> GetAsync(string gameId, string ruleId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_rules.GetValueOrDefault((gameId, ruleId)));
        }
    }

    public ValueTask<IReadOnlyList<StoredRule>> ListAsync(string gameId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredRule>>([.. _rules.Where(r => r.Key.GameId == gameId).Select(r => r.Value)]);
        }
    }

    public ValueTask<(RuleWriteStatus Status, StoredRule? Stored)> UpsertAsync(NotificationRule rule, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            var key = (rule.GameId, rule.Id);
            if (Check(key, ifMatch) is { } failed)
            {
                return ValueTask.FromResult<(RuleWriteStatus, StoredRule?)>((failed, null));
            }

            var stored = new StoredRule(rule, $"\"{++_version}\"");
            _rules[key] = stored;
            return ValueTask.FromResult<(RuleWriteStatus, StoredRule?)>((RuleWriteStatus.Done, stored));
        }
    }

    public ValueTask<RuleWriteStatus> DeleteAsync(string gameId, string ruleId, string? ifMatch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = (gameId, ruleId);
            if (!_rules.ContainsKey(key))
            {
                return ValueTask.FromResult(RuleWriteStatus.NotFound);
            }

            if (Check(key, ifMatch) is { } failed)
            {
                return ValueTask.FromResult(failed);
            }

            _rules.Remove(key);
            return ValueTask.FromResult(RuleWriteStatus.Done);
        }
    }

    private RuleWriteStatus? Check((string, string) key, string? ifMatch)
    {
        if (ifMatch is null)
        {
            return null;
        }

        if (!_rules.TryGetValue(key, out var current))
        {
            return RuleWriteStatus.NotFound;
        }

        return ifMatch == "*" || ifMatch == current.ETag ? null : RuleWriteStatus.PreconditionFailed;
    }
}
