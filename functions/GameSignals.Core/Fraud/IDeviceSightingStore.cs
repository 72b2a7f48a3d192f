using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>
/// A login seen in an IP bucket: which event, user and device, and when (event time). A value, not an object: a check
/// reads a window of its address's logins, hundreds on a shared address, and stores keep them in arrays.
/// </summary>
public readonly record struct DeviceSighting(string Source, string EventId, string UserId, string DeviceId, DateTimeOffset Time)
{
    /// <summary>Whether <paramref name="time"/> is less than <paramref name="near"/> before or after <paramref name="around"/>.</summary>
    public static bool IsNear(DateTimeOffset time, DateTimeOffset around, TimeSpan near) => (time - around).Duration() < near;
}

/// <summary>
/// Logins per (game, IP bucket) across all partitions and instances (a Cosmos container with TTL in Azure).
/// A sighting is identified by its event's (source, id), so writing it again changes nothing.
/// </summary>
public interface IDeviceSightingStore
{
    /// <summary>
    /// Records the sighting and returns the bucket's sightings as the write left them (itself included, unless it was
    /// already too old to keep): one read and one write, where a separate read after the write would cost a third request.
    /// Only those less than <paramref name="near"/> before or after the sighting are returned: a shared address (a
    /// carrier's NAT) keeps thousands of logins a day, and a check of one login reads its window's.
    /// </summary>
    ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded sighting store. Its TTL runs in event time: a sighting older than <paramref name="retention"/>
/// behind the newest one of its bucket is forgotten (pruned when a newer one arrives; one that late is not kept).
/// A day of logins is millions on a busy game, so a stored sighting shares one copy of its source, user
/// and device with every other sighting of them: only its event id is its own.
/// </summary>
/// <remarks>
/// A bucket keeps its sightings in one array: an object and a dictionary entry kept per sighting lived for the retention,
/// long enough for every collection to copy them up to the oldest generation, and were a third of a replay's collection
/// time. Most addresses keep a handful of logins for the retention, so finding a sighting written again is a scan.
/// </remarks>
public sealed class InMemoryDeviceSightingStore(TimeSpan retention) : IDeviceSightingStore
{
    private readonly Dictionary<(string GameId, string Bucket), Bucket> _buckets = new(StringPairComparer.Instance);
    private readonly SharedStrings _shared = new();
    private readonly Lock _gate = new();

    public ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_buckets.TryGetValue((gameId, ipBucket), out var bucket))
            {
                _buckets[(gameId, ipBucket)] = bucket = new Bucket { Newest = sighting.Time };
            }

            if (sighting.Time >= bucket.Newest - retention && !bucket.Holds(sighting.Source, sighting.EventId))
            {
                bucket.Add(sighting with { Source = _shared.Get(sighting.Source), UserId = _shared.Get(sighting.UserId), DeviceId = _shared.Get(sighting.DeviceId) });
                if (sighting.Time > bucket.Newest)
                {
                    bucket.Newest = sighting.Time;
                    bucket.Expire(bucket.Newest - retention);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DeviceSighting>>(bucket.Sightings(sighting.Time, near));
        }
    }

    public IReadOnlyList<DeviceSighting> SightingsOf(string gameId, string ipBucket)
    {
        lock (_gate)
        {
            return _buckets.TryGetValue((gameId, ipBucket), out var bucket) ? bucket.Sightings(bucket.Newest, TimeSpan.MaxValue) : [];
        }
    }

    private sealed class Bucket
    {
        private DeviceSighting[] _kept = new DeviceSighting[2];
        private int _count;
        private DateTimeOffset _oldest = DateTimeOffset.MaxValue;

        public required DateTimeOffset Newest { get; set; }

        public bool Holds(string source, string eventId)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_kept[i].EventId == eventId && _kept[i].Source == source)
                {
                    return true;
                }
            }

            return false;
        }

        public void Add(DeviceSighting sighting)
        {
            if (_count == _kept.Length)
            {
                Array.Resize(ref _kept, _count * 2);
            }

            _kept[_count++] = sighting;
            _oldest = sighting.Time < _oldest ? sighting.Time : _oldest;
        }

        /// <summary>Forgets the sightings older than <paramref name="horizon"/>; a scan only when one is.</summary>
        public void Expire(DateTimeOffset horizon)
        {
            if (_oldest >= horizon)
            {
                return;
            }

            var kept = 0;
            _oldest = DateTimeOffset.MaxValue;
            for (var i = 0; i < _count; i++)
            {
                if (_kept[i].Time >= horizon)
                {
                    _kept[kept++] = _kept[i];
                    _oldest = _kept[i].Time < _oldest ? _kept[i].Time : _oldest;
                }
            }

            Array.Clear(_kept, kept, _count - kept);
            _count = kept;
        }

        /// <summary>The sightings less than <paramref name="near"/> before or after <paramref name="time"/>.</summary>
        public DeviceSighting[] Sightings(DateTimeOffset time, TimeSpan near)
        {
            var count = 0;
            for (var i = 0; i < _count; i++)
            {
                count += DeviceSighting.IsNear(_kept[i].Time, time, near) ? 1 : 0;
            }

            var sightings = new DeviceSighting[count];
            for (int i = 0, next = 0; next < count; i++)
            {
                if (DeviceSighting.IsNear(_kept[i].Time, time, near))
                {
                    sightings[next++] = _kept[i];
                }
            }

            return sightings;
        }
    }
}
