namespace GameSignals.Notifications;

/// <summary>
/// Which cooldown: one per game, rule and cooldown key value (a user or character id). A shadow rule's cooldowns
/// (<paramref name="Shadow"/>) are kept apart, so a rule tried in shadow and then made active starts afresh, and
/// what a shadow rule would have sent never holds back what an active rule sends.
/// </summary>
public readonly record struct CooldownKey(string GameId, string RuleId, string KeyValue, bool Shadow = false)
{
    public override string ToString() => Shadow ? $"{GameId}/{RuleId}/{KeyValue} (shadow)" : $"{GameId}/{RuleId}/{KeyValue}";
}

/// <summary>
/// An open cooldown: the notification that opened it and when (event time). Remembering the id lets a
/// redelivered event that fired the first time fire again as the same notification.
/// </summary>
public sealed record CooldownRecord(CooldownKey Key, string NotificationId, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt, string? ETag = null);

/// <summary>
/// Cooldowns shared by every instance (a Cosmos container with TTL = the cooldown). Writes are
/// guarded: create fails if a record exists, replace fails if its ETag changed.
/// </summary>
public interface ICooldownStore
{
    ValueTask<CooldownRecord?> GetAsync(CooldownKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the record (<paramref name="ifMatch"/> null) or replaces the one with that ETag.
    /// False when another writer got there first.
    /// </summary>
    ValueTask<bool> TryWriteAsync(CooldownRecord record, string? ifMatch, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded cooldown store. TTL in event time: a record past its <see cref="CooldownRecord.ExpiresAt"/>
/// suppresses nothing (the stage compares event times) and is dropped once the newest written event is a
/// day past it. The day of grace keeps the record for a partition that lags behind the others: sweeping at
/// the newest event time would let a lagging key's event through while its cooldown still holds.
/// </summary>
public sealed class InMemoryCooldownStore : ICooldownStore
{
    private static readonly TimeSpan SweepGrace = TimeSpan.FromDays(1);

    private readonly Dictionary<CooldownKey, CooldownRecord> _records = [];
    private readonly Lock _gate = new();
    private long _version;
    private DateTimeOffset _newest = DateTimeOffset.MinValue;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    public ValueTask<CooldownRecord?> GetAsync(CooldownKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault(key));
        }
    }

    public ValueTask<bool> TryWriteAsync(CooldownRecord record, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            var exists = _records.TryGetValue(record.Key, out var current);
            if (ifMatch is null ? exists : !exists || current!.ETag != ifMatch)
            {
                return ValueTask.FromResult(false);
            }

            _records[record.Key] = record with { ETag = $"\"{++_version}\"" };
            if (record.OpenedAt > _newest)
            {
                _newest = record.OpenedAt;
            }

            if (_newest - _lastSweep > SweepGrace)
            {
                _lastSweep = _newest;
                foreach (var stale in _records.Values.Where(r => r.ExpiresAt < _newest - SweepGrace).ToList())
                {
                    _records.Remove(stale.Key);
                }
            }

            return ValueTask.FromResult(true);
        }
    }
}
