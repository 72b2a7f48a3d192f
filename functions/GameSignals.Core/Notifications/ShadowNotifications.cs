using System.Runtime.CompilerServices;

namespace GameSignals.Notifications;

/// <summary>
/// What a shadow rule did with one event, kept in the shadow store, never in an inbox and never pushed: the
/// notification it would have sent (when its condition matched and its own cooldown let it through) and, for a
/// candidate (<see cref="ShadowOf"/>), whether the active rule matched the same event. Written when either
/// matched. The id is the would-be notification's, from (shadow rule id, source, event id), so a redelivered
/// event records nothing twice.
/// </summary>
public sealed record ShadowRecord
{
    public required string Id { get; init; }

    public required string GameId { get; init; }

    /// <summary>The shadow rule.</summary>
    public required string RuleId { get; init; }

    /// <summary>The active rule the shadow rule is a candidate for, as it named it when the event came.</summary>
    public string? ShadowOf { get; init; }

    public required string EventId { get; init; }

    public required string UserId { get; init; }

    /// <summary>Event time.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The shadow rule's condition matched (whether or not its cooldown held the notification back).</summary>
    public bool Matched { get; init; }

    /// <summary>The condition of the active rule named by <see cref="ShadowOf"/> matched the same event.</summary>
    public bool ActiveMatched { get; init; }

    /// <summary>What the shadow rule would have sent; null when it did not match or its cooldown held it back.</summary>
    public Notification? Notification { get; init; }

    /// <summary>Seconds to live, as Cosmos reads it; the in-memory store measures it from <see cref="Time"/>.</summary>
    public int Ttl { get; init; }
}

/// <summary>A page of a shadow rule's would-be notifications, newest first, between two event times.</summary>
public sealed record ShadowQuery(string GameId, string RuleId, DateTimeOffset? From, DateTimeOffset? To, int PageSize, string? ContinuationToken);

public sealed record ShadowPage(IReadOnlyList<Notification> Items, string? ContinuationToken);

/// <summary>Shadow rules' records, per game and rule (a Cosmos container in Azure), apart from players' notifications.</summary>
public interface IShadowNotificationStore
{
    /// <summary>Creates the record; false when one with its id exists (a redelivery: the first stays).</summary>
    ValueTask<bool> CreateAsync(ShadowRecord record, CancellationToken cancellationToken);

    ValueTask<ShadowRecord?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The would-be notifications in <c>[From, To)</c> event time, newest first. A token this store did not hand
    /// out throws <see cref="ArgumentException"/> for <c>ContinuationToken</c>.
    /// </summary>
    ValueTask<ShadowPage> ListNotificationsAsync(ShadowQuery query, CancellationToken cancellationToken);

    /// <summary>Every record of the rule in <c>[since, until)</c> event time, oldest first: what counts and comparisons read.</summary>
    IAsyncEnumerable<ShadowRecord> ScanAsync(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken);
}

/// <summary>The embedded shadow store of replay and tests, with the TTL in event time as <see cref="InMemoryNotificationStore"/>.</summary>
public sealed class InMemoryShadowNotificationStore : IShadowNotificationStore
{
    private readonly Dictionary<(string GameId, string RuleId, string Id), ShadowRecord> _items = [];
    private readonly Lock _gate = new();
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    /// <summary>Every live record, for replay output and tests.</summary>
    public IReadOnlyList<ShadowRecord> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Values.Where(IsAlive)];
            }
        }
    }

    public ValueTask<bool> CreateAsync(ShadowRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (record.Time > _newest)
            {
                _newest = record.Time;
            }

            var key = (record.GameId, record.RuleId, record.Id);
            if (_items.TryGetValue(key, out var existing) && IsAlive(existing))
            {
                return ValueTask.FromResult(false);
            }

            _items[key] = record;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<ShadowRecord?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_items.TryGetValue((gameId, ruleId, id), out var record) && IsAlive(record) ? record : null);
        }
    }

    public ValueTask<ShadowPage> ListNotificationsAsync(ShadowQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        List<Notification> sent;
        lock (_gate)
        {
            sent = [.. InRange(query.GameId, query.RuleId, query.From, query.To)
                .Where(r => r.Notification is not null).Select(r => r.Notification!)
                .OrderByDescending(n => n.Time).ThenByDescending(n => n.Id, StringComparer.Ordinal)];
        }

        var (page, next) = TimeOrderedPages.Page(sent, n => n.Time, n => n.Id, query.PageSize, query.ContinuationToken, nameof(query));
        return ValueTask.FromResult(new ShadowPage(page, next));
    }

    public async IAsyncEnumerable<ShadowRecord> ScanAsync(
        string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ShadowRecord> records;
        lock (_gate)
        {
            records = [.. InRange(gameId, ruleId, since, until).OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal)];
        }

        foreach (var record in records)
        {
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private IEnumerable<ShadowRecord> InRange(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until) =>
        _items.Values.Where(r => r.GameId == gameId && r.RuleId == ruleId && IsAlive(r) && (since is null || r.Time >= since) && (until is null || r.Time < until));

    // A difference of two times always exists; Time + Ttl does not for an event at the end of time.
    private bool IsAlive(ShadowRecord r) => r.Ttl <= 0 || _newest - r.Time < TimeSpan.FromSeconds(r.Ttl);
}
