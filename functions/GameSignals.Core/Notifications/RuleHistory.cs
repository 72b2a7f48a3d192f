using System.Globalization;
using System.Text.Json;

namespace GameSignals.Notifications;

/// <summary>
/// One change to a rule: what (<see cref="Kind"/>), who (the admin API's caller), when (wall clock), and the rule
/// before and after (null before a create, after a delete).
/// </summary>
public sealed record RuleChange
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string StateChanged = "state_changed";
    public const string Deleted = "deleted";
    public const string Promoted = "promoted";

    /// <summary>From the rule and the version the change made (<see cref="IdFor"/>), so a retried write records it once.</summary>
    public required string Id { get; init; }

    public required string GameId { get; init; }

    public required string RuleId { get; init; }

    /// <summary><c>created</c>, <c>updated</c>, <c>state_changed</c>, <c>deleted</c> or <c>promoted</c>.</summary>
    public required string Kind { get; init; }

    public required string By { get; init; }

    public required DateTimeOffset At { get; init; }

    public NotificationRule? Before { get; init; }

    public NotificationRule? After { get; init; }

    /// <summary>Why, when the kind does not say it all (a promotion's other rule; a version recorded late).</summary>
    public string? Note { get; init; }

    /// <summary>The id of the change that made (or, <paramref name="deleted"/>, removed) the rule version with this ETag.</summary>
    public static string IdFor(string gameId, string ruleId, string etag, bool deleted = false)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(ruleId);
        ArgumentNullException.ThrowIfNull(etag);
        return ContentId.Of(
            CultureInfo.InvariantCulture, stackalloc char[256], $"{gameId.Length}:{gameId}|{ruleId.Length}:{ruleId}|{etag.Length}:{etag}|{(deleted ? "deleted" : "written")}");
    }

    /// <summary>The kind of a write from <paramref name="before"/> to <paramref name="after"/>: a state change when nothing else differs.</summary>
    public static string KindOf(NotificationRule? before, NotificationRule after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return Created;
        }

        var sameOtherwise = JsonSerializer.Serialize(before with { State = null }, NotificationsJsonContext.Default.NotificationRule)
            == JsonSerializer.Serialize(after with { State = null }, NotificationsJsonContext.Default.NotificationRule);
        return sameOtherwise && (before.State ?? "active") != (after.State ?? "active") ? StateChanged : Updated;
    }
}

public sealed record RuleHistoryPage(IReadOnlyList<RuleChange> Items, string? ContinuationToken);

/// <summary>Every change to every rule, per game and rule (a Cosmos container in Azure).</summary>
public interface IRuleHistoryStore
{
    /// <summary>Adds the change; when one with its id is there, that one stays (a retried write).</summary>
    ValueTask AppendAsync(RuleChange change, CancellationToken cancellationToken);

    ValueTask<RuleChange?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// A page of the rule's changes, newest first. A token this store did not hand out throws
    /// <see cref="ArgumentException"/> for <paramref name="continuationToken"/>.
    /// </summary>
    ValueTask<RuleHistoryPage> ListAsync(string gameId, string ruleId, int pageSize, string? continuationToken, CancellationToken cancellationToken);
}

public sealed class InMemoryRuleHistoryStore : IRuleHistoryStore
{
    private readonly Dictionary<(string GameId, string RuleId, string Id), RuleChange> _changes = [];
    private readonly Lock _gate = new();

    public ValueTask AppendAsync(RuleChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            _changes.TryAdd((change.GameId, change.RuleId, change.Id), change);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<RuleChange?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_changes.GetValueOrDefault((gameId, ruleId, id)));
        }
    }

    public ValueTask<RuleHistoryPage> ListAsync(string gameId, string ruleId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        List<RuleChange> changes;
        lock (_gate)
        {
            changes = [.. _changes.Values.Where(c => c.GameId == gameId && c.RuleId == ruleId)
                .OrderByDescending(c => c.At).ThenByDescending(c => c.Id, StringComparer.Ordinal)];
        }

        var (page, next) = TimeOrderedPages.Page(changes, c => c.At, c => c.Id, pageSize, continuationToken, nameof(continuationToken));
        return ValueTask.FromResult(new RuleHistoryPage(page, next));
    }
}
