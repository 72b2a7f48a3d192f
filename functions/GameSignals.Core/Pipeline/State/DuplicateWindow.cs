using System.IO.Hashing;
using GameSignals.Events;

namespace GameSignals.Pipeline.State;

/// <summary>
/// The event keys one partition has processed within <see cref="Window"/> of event time behind its newest event, as
/// 64-bit digests in hourly buckets (docs/design.md, "State with its partition"): about 8 bytes a key where the Cosmos
/// ledger took a point read and a create, and no SHA-256. A key is remembered for at least the window and at most an
/// hour more (a bucket goes when all of it is older than the window).
/// </summary>
/// <param name="seed">
/// The digest's seed, random per partition state and kept in its snapshot, so that no producer can aim for a collision
/// (a fresh event taken for a duplicate); accidental ones have a chance of about n²/2⁶⁵ among n keys.
/// </param>
public sealed class DuplicateWindow(TimeSpan window, ulong seed)
{
    private static readonly long BucketTicks = TimeSpan.TicksPerHour;

    private readonly Dictionary<long, HashSet<ulong>> _buckets = [];
    private long _newestTicks = long.MinValue;

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), "The window must be positive.");

    public ulong Seed { get; } = seed;

    /// <summary>Keys remembered now.</summary>
    public int Count => _buckets.Values.Sum(bucket => bucket.Count);

    /// <summary>Whether the key was processed within the window.</summary>
    public bool Contains(EventKey key)
    {
        var digest = DigestOf(key);
        foreach (var bucket in _buckets.Values)
        {
            if (bucket.Contains(digest))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers the key at its event time; false when it was already remembered. Then forgets what left the window.</summary>
    public bool Add(EventKey key, DateTimeOffset time)
    {
        if (Contains(key))
        {
            return false;
        }

        var ticks = time.UtcTicks;
        var hour = ticks / BucketTicks;
        if (!_buckets.TryGetValue(hour, out var bucket))
        {
            _buckets[hour] = bucket = [];
        }

        bucket.Add(DigestOf(key));
        if (ticks > _newestTicks)
        {
            _newestTicks = ticks;
            var horizon = _newestTicks - Window.Ticks;
            foreach (var old in _buckets.Keys.Where(h => (h + 1) * BucketTicks <= horizon).ToList())
            {
                _buckets.Remove(old);
            }
        }

        return true;
    }

    private ulong DigestOf(EventKey key) => EventKeyBytes.Hash(key, Seed, static (text, seed) => XxHash3.HashToUInt64(text, unchecked((long)seed)));
}
