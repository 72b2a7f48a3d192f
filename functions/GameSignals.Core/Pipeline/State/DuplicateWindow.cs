using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GameSignals.Events;

namespace GameSignals.Pipeline.State;

/// <summary>
/// The event keys one partition has processed within <see cref="Window"/> of event time behind its newest event, as
/// 64-bit digests in hourly buckets (docs/design.md, "State with its partition"): about 8 bytes a key where the Cosmos
/// ledger took a point read and a create, and no SHA-256. A key is remembered for at least the window and at most an
/// hour more (a bucket goes when all of it is older than the window).
/// </summary>
/// <remarks>
/// Hours two or more behind the newest event are sealed into one sorted array of digests with a parallel array of their
/// hours (12 bytes a key, a search of a few probes a lookup); the newest hours and late arrivals sit in per-hour
/// <see cref="DigestSet"/>s (one run of slots a look-up).
/// Sealing and expiry rebuild the arrays once per hour of event time. Not thread-safe: one partition's batches run one
/// at a time.
/// </remarks>
/// <param name="seed">
/// The digest's seed, random per partition state and kept in its changelog and snapshots, so that no producer can aim
/// for a collision (a fresh event taken for a duplicate); accidental ones have a chance of about n²/2⁶⁵ among n keys.
/// </param>
public sealed class DuplicateWindow(TimeSpan window, ulong seed)
{
    private static readonly long BucketTicks = TimeSpan.TicksPerHour;

    private readonly Dictionary<int, DigestSet> _open = [];
    private readonly List<(ulong Digest, long Ticks)> _added = [];
    private ulong[] _sealed = [];
    private int[] _sealedHours = [];
    private long _newestTicks = long.MinValue;
    private int _busiestHour;

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), "The window must be positive.");

    public ulong Seed { get; } = seed;

    /// <summary>Keys remembered now.</summary>
    public int Count => _sealed.Length + _open.Values.Sum(hour => hour.Count);

    /// <summary>The digest this window keeps for <paramref name="key"/>.</summary>
    public ulong DigestOf(EventKey key) => EventKeyBytes.Hash(key, Seed, static (text, seed) => XxHash3.HashToUInt64(text, unchecked((long)seed)));

    /// <summary>
    /// Reads the places the look-ups of a batch's digests start at, one digest after the other, so that their cache misses
    /// overlap: each look-up on its own waits for its own, and in an hour of a million keys nearly every one is a miss.
    /// In the second half of a 10M-event replay, the window's share of the samples went from 14.9% to 8.8% (perf). Returns
    /// what it read, and is never inlined, so that the compiler cannot drop the reads as unused.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public ulong Load(ReadOnlySpan<ulong> digests)
    {
        var read = 0UL;
        foreach (var hour in _open.Values)
        {
            foreach (var digest in digests)
            {
                read ^= hour.FirstSlotOf(digest);
            }
        }

        if (_sealed.Length > 1)
        {
            var (low, high, last) = (_sealed[0], _sealed[^1], _sealed.Length - 1);
            foreach (var digest in digests)
            {
                if (digest > low && digest < high)
                {
                    read ^= _sealed[Guess(digest, low, high, 0, last)];
                }
            }
        }

        return read;
    }

    /// <summary>Whether the key was processed within the window.</summary>
    public bool Contains(EventKey key) => Contains(DigestOf(key));

    /// <summary>Whether the digest was remembered within the window.</summary>
    public bool Contains(ulong digest)
    {
        foreach (var hour in _open.Values)
        {
            if (hour.Contains(digest))
            {
                return true;
            }
        }

        return SortedContains(_sealed, digest);
    }

    /// <summary>Remembers the key at its event time; false when it was already remembered. Then forgets what left the window.</summary>
    public bool Add(EventKey key, DateTimeOffset time) => Add(DigestOf(key), time.UtcTicks);

    /// <summary>Remembers a digest at an event time in ticks; false when it was already remembered.</summary>
    public bool Add(ulong digest, long ticks)
    {
        if (Contains(digest))
        {
            return false;
        }

        if (Remember(digest, ticks))
        {
            _added.Add((digest, ticks));
        }

        return true;
    }

    /// <summary>The digests added since the last call, with their event times, for the partition's changelog.</summary>
    public List<(ulong Digest, long Ticks)> TakeAdded()
    {
        var added = new List<(ulong, long)>(_added);
        _added.Clear();
        return added;
    }

    /// <summary>Restores digests from a snapshot or a changelog record, without counting them as added.</summary>
    public void Restore(IEnumerable<(ulong Digest, long Ticks)> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        foreach (var (digest, ticks) in digests)
        {
            Remember(digest, ticks);
        }
    }

    /// <summary>
    /// Writes everything remembered, for a snapshot: the sealed arrays as two blocks and each open hour as one, where a
    /// write per key made a snapshot of a few million keys stall its partition for a third of a second.
    /// </summary>
    public void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        RequireLittleEndian();
        writer.Write(_newestTicks);
        writer.Write(_busiestHour);
        writer.Write(_sealed.Length);
        writer.Write(MemoryMarshal.AsBytes(_sealed.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_sealedHours.AsSpan()));
        writer.Write(_open.Count);
        foreach (var (hour, digests) in _open)
        {
            // A pooled block: a fresh one for each hour of each snapshot had the kernel clear megabytes of new pages.
            var block = ArrayPool<ulong>.Shared.Rent(digests.Count);
            digests.CopyTo(block);
            writer.Write(hour);
            writer.Write(digests.Count);
            writer.Write(MemoryMarshal.AsBytes(block.AsSpan(0, digests.Count)));
            ArrayPool<ulong>.Shared.Return(block);
        }
    }

    /// <summary>Reads what <see cref="WriteSnapshot"/> wrote into this empty window.</summary>
    public void ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        RequireLittleEndian();
        _newestTicks = reader.ReadInt64();
        _busiestHour = reader.ReadInt32();
        var count = reader.ReadInt32();
        _sealed = new ulong[count];
        _sealedHours = new int[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_sealed.AsSpan()));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_sealedHours.AsSpan()));
        _open.Clear();
        for (var hours = reader.ReadInt32(); hours > 0; hours--)
        {
            var hour = reader.ReadInt32();
            var block = new ulong[reader.ReadInt32()];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(block.AsSpan()));
            _open[hour] = new DigestSet(block);
        }
    }

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Partition state snapshots hold their digests little-endian, as every platform .NET runs on in Azure does.");
        }
    }

    /// <summary>Keeps the digest in its hour; false when that hour is already behind the window.</summary>
    private bool Remember(ulong digest, long ticks)
    {
        if (ticks > _newestTicks)
        {
            var newHour = _newestTicks == long.MinValue || ticks / BucketTicks != _newestTicks / BucketTicks;
            _newestTicks = ticks;
            if (newHour)
            {
                Slide();
            }
        }

        var hour = (int)(ticks / BucketTicks);
        if (IsExpired(hour))
        {
            return false; // a late event already outside the window: nothing within the window can duplicate it
        }

        if (!_open.TryGetValue(hour, out var digests))
        {
            // The newest hour is sized as the busiest hour so far, sealed or still open: a set growing to a million keys
            // rehashes all it holds at each doubling, on a batch's path (1.1% of the samples in the second half of a
            // 10M-event replay, whose first hours were not sealed yet). A late event's hour stays small.
            _open[hour] = digests = new DigestSet(hour == _newestTicks / BucketTicks ? BusiestHour() : 0);
        }

        digests.Add(digest);
        return true;
    }

    /// <summary>
    /// Whether the sorted <paramref name="keys"/> hold the digest. Seeded digests are spread evenly over 64 bits, so a digest's place is
    /// close to its share of the range between the ends: a few probes guessed that way find it where a binary search of
    /// millions of keys waits on twenty cache misses. Guessing stops after a few probes, so no spread of keys costs more
    /// than a binary search.
    /// </summary>
    internal static bool SortedContains(ulong[] keys, ulong digest)
    {
        var (lo, hi) = (0, keys.Length - 1);
        for (var probes = 0; lo <= hi; probes++)
        {
            var (low, high) = (keys[lo], keys[hi]);
            if (digest < low || digest > high)
            {
                return false;
            }

            var mid = probes < 3 && high > low ? Guess(digest, low, high, lo, hi) : lo + ((hi - lo) >> 1);
            var probe = keys[mid];
            if (probe == digest)
            {
                return true;
            }

            (lo, hi) = probe < digest ? (mid + 1, hi) : (lo, mid - 1);
        }

        return false;
    }

    /// <summary>Where among keys from <paramref name="low"/> at <paramref name="lo"/> to <paramref name="high"/> at <paramref name="hi"/> the digest would be, were they spread evenly.</summary>
    private static int Guess(ulong digest, ulong low, ulong high, int lo, int hi) => lo + (int)((double)(digest - low) / (high - low) * (hi - lo));

    private int BusiestHour()
    {
        var busiest = _busiestHour;
        foreach (var open in _open.Values)
        {
            busiest = Math.Max(busiest, open.Count);
        }

        return busiest;
    }

    private bool IsExpired(int hour) => (hour + 1) * BucketTicks <= _newestTicks - Window.Ticks;

    /// <summary>
    /// Seals the open hours two or more behind the newest event and drops the hours wholly behind the window: the sealed
    /// keys still in the window and the newly sealed ones, each already sorted, are merged into arrays of the exact size,
    /// so the work holds the old and new arrays at once (24 bytes a key at the peak) and, pooled, the newly sealed hours'.
    /// </summary>
    private void Slide()
    {
        var newestHour = (int)(_newestTicks / BucketTicks);
        var sealing = _open.Keys.Where(hour => hour <= newestHour - 2 || IsExpired(hour)).ToList();
        var expiring = _sealedHours.Length > 0 && IsExpired(_sealedHours.Min());
        if (sealing.Count == 0 && !expiring)
        {
            return;
        }

        var freshCount = 0;
        foreach (var hour in sealing)
        {
            _busiestHour = Math.Max(_busiestHour, _open[hour].Count);
            freshCount += IsExpired(hour) ? 0 : _open[hour].Count;
        }

        // Pooled, as the snapshot's blocks are: they live only for the merge below.
        var freshDigestsRented = ArrayPool<ulong>.Shared.Rent(freshCount);
        var freshHoursRented = ArrayPool<int>.Shared.Rent(freshCount);
        var freshDigests = freshDigestsRented.AsSpan(0, freshCount);
        var freshHours = freshHoursRented.AsSpan(0, freshCount);
        var filled = 0;
        foreach (var hour in sealing)
        {
            if (!IsExpired(hour))
            {
                _open[hour].CopyTo(freshDigests[filled..]);
                freshHours.Slice(filled, _open[hour].Count).Fill(hour);
                filled += _open[hour].Count;
            }

            _open.Remove(hour);
        }

        // Primitive keys sort without a comparison delegate: an hour of a busy partition's keys in a few milliseconds.
        freshDigests.Sort(freshHours);
        var kept = 0;
        foreach (var hour in _sealedHours)
        {
            kept += IsExpired(hour) ? 0 : 1;
        }

        var digests = new ulong[kept + freshCount];
        var hours = new int[digests.Length];
        var (old, added, at) = (0, 0, 0);
        while (at < digests.Length)
        {
            if (old < _sealed.Length && IsExpired(_sealedHours[old]))
            {
                old++;
            }
            else if (added == freshCount || (old < _sealed.Length && _sealed[old] <= freshDigests[added]))
            {
                (digests[at], hours[at++]) = (_sealed[old], _sealedHours[old++]);
            }
            else
            {
                (digests[at], hours[at++]) = (freshDigests[added], freshHours[added++]);
            }
        }

        ArrayPool<ulong>.Shared.Return(freshDigestsRented);
        ArrayPool<int>.Shared.Return(freshHoursRented);
        _sealed = digests;
        _sealedHours = hours;
    }
}
