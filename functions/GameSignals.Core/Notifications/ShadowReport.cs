namespace GameSignals.Notifications;

/// <summary>One hour (UTC, event time) of a shadow rule: notifications it would have sent, and matches (some held back by its cooldown).</summary>
public sealed record ShadowHourCount(DateTimeOffset Hour, long Notifications, long Matched);

/// <summary>Events of one side of a comparison: how many, and the ids of the first few in event time.</summary>
public sealed record ComparedEvents(long Count, IReadOnlyList<string> SampleEventIds);

/// <summary>
/// A candidate against the active rule it names, over the events both saw while the candidate was in shadow:
/// conditions matched by both, by the active rule only, by the candidate only.
/// </summary>
public sealed record ShadowComparison(
    string RuleId, string? ShadowOf, DateTimeOffset? From, DateTimeOffset? To,
    ComparedEvents Both, ComparedEvents OnlyActive, ComparedEvents OnlyShadow, long ShadowNotifications);

/// <summary>Counts and comparisons of a shadow rule, read from its records (the one source, so they agree with the list).</summary>
public static class ShadowReport
{
    /// <summary>Event ids kept per side of a comparison.</summary>
    public const int SampleSize = 10;

    /// <summary>Per hour of event time with at least one match, oldest first.</summary>
    public static async ValueTask<IReadOnlyList<ShadowHourCount>> HourlyAsync(
        IShadowNotificationStore store, string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var hours = new SortedDictionary<DateTimeOffset, (long Notifications, long Matched)>();
        await foreach (var record in store.ScanAsync(gameId, ruleId, since, until, cancellationToken).ConfigureAwait(false))
        {
            if (!record.Matched)
            {
                continue;
            }

            var utc = record.Time.UtcDateTime;
            var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
            var (notifications, matched) = hours.GetValueOrDefault(hour);
            hours[hour] = (notifications + (record.Notification is null ? 0 : 1), matched + 1);
        }

        return [.. hours.Select(h => new ShadowHourCount(h.Key, h.Value.Notifications, h.Value.Matched))];
    }

    public static async ValueTask<ShadowComparison> CompareAsync(
        IShadowNotificationStore store, string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var both = new Side();
        var onlyActive = new Side();
        var onlyShadow = new Side();
        string? shadowOf = null;
        long notifications = 0;
        await foreach (var record in store.ScanAsync(gameId, ruleId, since, until, cancellationToken).ConfigureAwait(false))
        {
            shadowOf = record.ShadowOf ?? shadowOf;
            notifications += record.Notification is null ? 0 : 1;
            var side = (record.Matched, record.ActiveMatched) switch
            {
                (true, true) => both,
                (false, true) => onlyActive,
                (true, false) => onlyShadow,
                _ => null,
            };
            side?.Add(record.EventId);
        }

        return new ShadowComparison(ruleId, shadowOf, since, until, both.Result(), onlyActive.Result(), onlyShadow.Result(), notifications);
    }

    private sealed class Side
    {
        private readonly List<string> _samples = [];
        private long _count;

        public void Add(string eventId)
        {
            _count++;
            if (_samples.Count < SampleSize)
            {
                _samples.Add(eventId);
            }
        }

        public ComparedEvents Result() => new(_count, _samples);
    }
}
