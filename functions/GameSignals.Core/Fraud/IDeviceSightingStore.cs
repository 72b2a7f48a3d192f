using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>A login seen in an IP bucket: which event, user and device, and when (event time).</summary>
public sealed record DeviceSighting(string Source, string EventId, string UserId, string DeviceId, DateTimeOffset Time)
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
/// A bucket keeps its sightings as rows in one array, and hands out new records: a record and a dictionary entry kept per
/// sighting lived for the retention, long enough for every collection to copy them up to the oldest generation, and were
/// a third of a replay's collection time. A bucket holds the logins of one address for the retention, a handful, so
/// finding a sighting written again is a scan.
/// </remarks>
public sealed class InMemoryDeviceSightingStore(TimeSpan retention) : IDeviceSightingStore
{
    private readonly Dictionary<(string GameId, string Bucket), Bucket> _buckets = [];
    private readonly SharedStrings _shared = new();
    private readonly Lock _gate = new();

    public ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        lock (_gate)
        {
            if (!_buckets.TryGetValue((gameId, ipBucket), out var bucket))
            {
                _buckets[(gameId, ipBucket)] = bucket = new Bucket { Newest = sighting.Time };
            }

            if (sighting.Time >= bucket.Newest - retention && !bucket.Holds(sighting.Source, sighting.EventId))
            {
                bucket.Add(new Row(_shared.Get(sighting.Source), sighting.EventId, _shared.Get(sighting.UserId), _shared.Get(sighting.DeviceId), sighting.Time));
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

    private readonly record struct Row(string Source, string EventId, string UserId, string DeviceId, DateTimeOffset Time);

    private sealed class Bucket
    {
        private Row[] _rows = new Row[2];
        private int _count;
        private DateTimeOffset _oldest = DateTimeOffset.MaxValue;

        public required DateTimeOffset Newest { get; set; }

        public bool Holds(string source, string eventId)
        {
            for (var i = 0; i < _count; i++)
            {
                if (_rows[i].EventId == eventId && _rows[i].Source == source)
                {
                    return true;
                }
            }

            return false;
        }

        public void Add(Row row)
        {
            if (_count == _rows.Length)
            {
                Array.Resize(ref _rows, _count * 2);
            }

            _rows[_count++] = row;
            _oldest = row.Time < _oldest ? row.Time : _oldest;
        }

        /// <summary>Forgets the rows older than <paramref name="horizon"/>; a scan only when one is.</summary>
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
                if (_rows[i].Time >= horizon)
                {
                    _rows[kept++] = _rows[i];
                    _oldest = _rows[i].Time < _oldest ? _rows[i].Time : _oldest;
                }
            }

            Array.Clear(_rows, kept, _count - kept);
            _count = kept;
        }

        /// <summary>New records of the rows less than <paramref name="near"/> before or after <paramref name="time"/>.</summary>
        public DeviceSighting[] Sightings(DateTimeOffset time, TimeSpan near)
        {
            var count = 0;
            for (var i = 0; i < _count; i++)
            {
                count += DeviceSighting.IsNear(_rows[i].Time, time, near) ? 1 : 0;
            }

            var sightings = new DeviceSighting[count];
            for (int i = 0, next = 0; next < count; i++)
            {
                var row = _rows[i];
                if (DeviceSighting.IsNear(row.Time, time, near))
                {
                    sightings[next++] = new DeviceSighting(row.Source, row.EventId, row.UserId, row.DeviceId, row.Time);
                }
            }

            return sightings;
        }
    }
}
