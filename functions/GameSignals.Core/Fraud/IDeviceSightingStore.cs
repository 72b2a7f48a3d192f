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
    /// Records the sighting and puts the bucket's sightings as the write left them (itself included, unless it was
    /// already too old to keep) in <paramref name="window"/>, cleared first: one read and one write, where a separate read
    /// after the write would cost a third request. Only those less than <paramref name="near"/> before or after the
    /// sighting are given: a shared address (a carrier's NAT) keeps thousands of logins a day, and a check of one login
    /// reads its window's. The caller's list, used again login after login, where a new array each time was 89 MB of a
    /// 1M-event replay's 1.18 GB of allocations.
    /// </summary>
    ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, List<DeviceSighting> window, CancellationToken cancellationToken);
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
/// time. The array is in event-time order (a late login is put in its place), so a login's window is two binary searches
/// and expiry moves the array's start. A sighting written again is found by scanning a parallel array of event-id hash
/// codes, four bytes a sighting and vectorised, and comparing strings only where a code matches: comparing the sightings'
/// ids themselves read a cold string a sighting, and took a tenth of a 10M-event replay's CPU (perf), most of it at the
/// stream's two shared addresses with ten thousand logins each.
/// </remarks>
public sealed class InMemoryDeviceSightingStore(TimeSpan retention) : IDeviceSightingStore
{
    private readonly Dictionary<(string GameId, string Bucket), Bucket> _buckets = new(StringPairComparer.Instance);
    private readonly SharedStrings _shared = new();
    private readonly Lock _gate = new();

    public ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, List<DeviceSighting> window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_gate)
        {
            if (!_buckets.TryGetValue((gameId, ipBucket), out var bucket))
            {
                _buckets[(gameId, ipBucket)] = bucket = new Bucket { Newest = sighting.Time };
            }

            var idHash = sighting.EventId.GetHashCode();
            if (sighting.Time >= bucket.Newest - retention && !bucket.Holds(sighting.Source, sighting.EventId, idHash))
            {
                bucket.Add(sighting with { Source = _shared.Get(sighting.Source), UserId = _shared.Get(sighting.UserId), DeviceId = _shared.Get(sighting.DeviceId) }, idHash);
                if (sighting.Time > bucket.Newest)
                {
                    bucket.Newest = sighting.Time;
                    bucket.Expire(bucket.Newest - retention);
                }
            }

            window.Clear();
            window.AddRange(bucket.Sightings(sighting.Time, near));
            return ValueTask.CompletedTask;
        }
    }

    public IReadOnlyList<DeviceSighting> SightingsOf(string gameId, string ipBucket)
    {
        lock (_gate)
        {
            return _buckets.TryGetValue((gameId, ipBucket), out var bucket) ? bucket.Sightings(bucket.Newest, TimeSpan.MaxValue).ToArray() : [];
        }
    }

    private sealed class Bucket
    {
        private DeviceSighting[] _kept = new DeviceSighting[2];
        private int[] _idHashes = new int[2];
        private int _start;
        private int _count;

        public required DateTimeOffset Newest { get; set; }

        /// <summary>Whether the event's sighting is kept; <paramref name="idHash"/> is its id's hash code.</summary>
        public bool Holds(string source, string eventId, int idHash)
        {
            var hashes = _idHashes.AsSpan(_start, _count);
            for (var at = 0; at < hashes.Length; at++)
            {
                var found = hashes[at..].IndexOf(idHash);
                if (found < 0)
                {
                    return false;
                }

                at += found;
                ref readonly var kept = ref _kept[_start + at];
                if (kept.EventId == eventId && kept.Source == source)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Puts the sighting after those of its time or earlier.</summary>
        public void Add(DeviceSighting sighting, int idHash)
        {
            if (_start + _count == _kept.Length)
            {
                MakeRoom();
            }

            var at = _start + FirstFrom(sighting.Time.UtcTicks + 1);
            var end = _start + _count;
            Array.Copy(_kept, at, _kept, at + 1, end - at);
            Array.Copy(_idHashes, at, _idHashes, at + 1, end - at);
            _kept[at] = sighting;
            _idHashes[at] = idHash;
            _count++;
        }

        /// <summary>Forgets the sightings older than <paramref name="horizon"/>.</summary>
        public void Expire(DateTimeOffset horizon)
        {
            var expired = FirstFrom(horizon.UtcTicks);
            Array.Clear(_kept, _start, expired);
            _start += expired;
            _count -= expired;
        }

        /// <summary>The sightings less than <paramref name="near"/> before or after <paramref name="time"/>.</summary>
        public ReadOnlySpan<DeviceSighting> Sightings(DateTimeOffset time, TimeSpan near)
        {
            var ticks = time.UtcTicks;
            var after = ticks - near.Ticks; // no overflow: both are at least zero
            var before = near.Ticks > long.MaxValue - ticks ? long.MaxValue : ticks + near.Ticks;
            var first = FirstFrom(after + 1);
            return _kept.AsSpan(_start + first, Math.Max(FirstFrom(before) - first, 0)); // none when near is zero
        }

        /// <summary>The index, from the start, of the first sighting at <paramref name="ticks"/> or later; the count when none is.</summary>
        private int FirstFrom(long ticks)
        {
            var (low, high) = (0, _count);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                (low, high) = _kept[_start + middle].Time.UtcTicks < ticks ? (middle + 1, high) : (low, middle);
            }

            return low;
        }

        /// <summary>Moves the sightings to the array's start when expiry freed half of it, or doubles it.</summary>
        private void MakeRoom()
        {
            var (kept, hashes) = _start >= _kept.Length / 2 ? (_kept, _idHashes) : (new DeviceSighting[_kept.Length * 2], new int[_kept.Length * 2]);
            Array.Copy(_kept, _start, kept, 0, _count);
            Array.Copy(_idHashes, _start, hashes, 0, _count);
            if (ReferenceEquals(kept, _kept))
            {
                Array.Clear(_kept, _count, _start);
            }

            (_kept, _idHashes, _start) = (kept, hashes, 0);
        }
    }
}
