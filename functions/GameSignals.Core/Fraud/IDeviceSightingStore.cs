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
    /// <summary>
    /// Records the sighting and returns the bucket's sightings as the write left them (itself included, unless it was
    /// already too old to keep): one read and one write, where a separate read after the write would cost a third request.
    /// </summary>
    ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken);
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

    public ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken)
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
                return ValueTask.FromResult<IReadOnlyList<DeviceSighting>>([.. bucket.Sightings.Values]);
            }

            var stored = sighting with { Source = _shared.Get(sighting.Source), UserId = _shared.Get(sighting.UserId), DeviceId = _shared.Get(sighting.DeviceId) };
            if (bucket.Sightings.TryAdd((stored.Source, stored.EventId), stored) && stored.Time < bucket.Oldest)
            {
                bucket.Oldest = stored.Time;
            }

            if (sighting.Time > bucket.Newest)
            {
                bucket.Newest = sighting.Time;
                var horizon = bucket.Newest - retention;
                // Scanned only when something has expired: a login would otherwise walk its whole bucket.
                if (bucket.Oldest < horizon)
                {
                    foreach (var expired in bucket.Sightings.Where(s => s.Value.Time < horizon).Select(s => s.Key).ToList())
                    {
                        bucket.Sightings.Remove(expired);
                    }

                    bucket.Oldest = bucket.Sightings.Values.Min(s => s.Time);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DeviceSighting>>([.. bucket.Sightings.Values]);
        }
    }

    /// <summary>The bucket's sightings as stored now (tests).</summary>
    public IReadOnlyList<DeviceSighting> SightingsOf(string gameId, string ipBucket)
    {
        lock (_gate)
        {
            return _buckets.TryGetValue((gameId, ipBucket), out var bucket) ? [.. bucket.Sightings.Values] : [];
        }
    }

    private sealed class Bucket
    {
        public Dictionary<(string Source, string EventId), DeviceSighting> Sightings { get; } = [];

        public required DateTimeOffset Newest { get; set; }

        /// <summary>The oldest sighting kept.</summary>
        public DateTimeOffset Oldest { get; set; } = DateTimeOffset.MaxValue;
    }
}
