using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>A login seen in an IP bucket: which event, user and device, and when (event time).</summary>
public sealed record DeviceSighting(string Source, string EventId, string UserId, string DeviceId, DateTimeOffset Time);

/// <summary>
/// Logins per (game, IP bucket) across all partitions and instances (a Cosmos container with TTL in Azure).
/// A sighting is identified by its event's (source, id), so writing it again changes nothing.
/// </summary>
public interface IDeviceSightingStore
{
    ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken);

    /// <summary>The bucket's sightings with <paramref name="earliest"/> &lt;= time &lt;= <paramref name="latest"/>.</summary>
    ValueTask<IReadOnlyList<DeviceSighting>> FindAsync(string gameId, string ipBucket, DateTimeOffset earliest, DateTimeOffset latest, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded sighting store. Its TTL runs in event time: a sighting older than <paramref name="retention"/>
/// behind the newest one of its bucket is forgotten (pruned when a newer one arrives; one that late is not kept).
/// A day of logins is millions on a busy game, so a stored sighting shares one copy of its source, user
/// and device with every other sighting of them: only its event id is its own.
/// </summary>
public sealed class InMemoryDeviceSightingStore(TimeSpan retention) : IDeviceSightingStore
{
    private readonly Dictionary<(string GameId, string Bucket), Bucket> _buckets = [];
    private readonly SharedStrings _shared = new();
    private readonly Lock _gate = new();

    public ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        lock (_gate)
        {
            if (!_buckets.TryGetValue((gameId, ipBucket), out var bucket))
            {
                _buckets[(gameId, ipBucket)] = bucket = new Bucket { Newest = sighting.Time };
            }

            if (sighting.Time < bucket.Newest - retention)
            {
                return ValueTask.CompletedTask;
            }

            var stored = sighting with { Source = _shared.Get(sighting.Source), UserId = _shared.Get(sighting.UserId), DeviceId = _shared.Get(sighting.DeviceId) };
            bucket.Sightings.TryAdd((stored.Source, stored.EventId), stored);
            if (sighting.Time > bucket.Newest)
            {
                bucket.Newest = sighting.Time;
                var horizon = bucket.Newest - retention;
                foreach (var expired in bucket.Sightings.Where(s => s.Value.Time < horizon).Select(s => s.Key).ToList())
                {
                    bucket.Sightings.Remove(expired);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeviceSighting>> FindAsync(string gameId, string ipBucket, DateTimeOffset earliest, DateTimeOffset latest, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DeviceSighting> found = _buckets.TryGetValue((gameId, ipBucket), out var bucket)
                ? [.. bucket.Sightings.Values.Where(s => s.Time >= earliest && s.Time <= latest)]
                : [];
            return ValueTask.FromResult(found);
        }
    }

    private sealed class Bucket
    {
        public Dictionary<(string Source, string EventId), DeviceSighting> Sightings { get; } = [];

        public required DateTimeOffset Newest { get; set; }
    }
}
