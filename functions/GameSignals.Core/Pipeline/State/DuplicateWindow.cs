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
/// Sealing and expiry rebuild the arrays once per hour of event time, in the background (<see cref="Sealing"/>): on the
/// batch's path, the rebuild of a partition's millions of keys held all its events back at each new hour (46 ms in the
/// demo, every partition at once). Until the new arrays land, the hours being sealed are looked up where they were, and
/// the old array's keys that the slide let go are passed over, so what is remembered never depends on when they land.
/// Not thread-safe: one partition's batches run one at a time.
/// </remarks>
/// <param name="seed">
/// The digest's seed, random per partition state and kept in its changelog and snapshots, so that no producer can aim
/// for a collision (a fresh event taken for a duplicate); accidental ones have a chance of about n²/2⁶⁵ among n keys.
/// </param>
/// <param name="rebuildInBackground">False for tests only: a rebuild then runs when the next slide lands it, never sooner.</param>
public sealed class DuplicateWindow(TimeSpan window, ulong seed, bool rebuildInBackground = true)
{
    private static readonly long BucketTicks = TimeSpan.TicksPerHour;

    private readonly Dictionary<int, DigestSet> _open = [];
    private readonly List<(ulong Digest, long Ticks)> _added = [];
    private ulong[] _sealed = [];
    private int[] _sealedHours = [];
    private int _oldestSealedHour = int.MaxValue;
    private long _letGoBefore = long.MinValue; // sealed keys of hours ending at or before it are gone (the last slide's edge)
    private Sealing? _sealing; // the rebuild in the background, with the hours it seals
    private long _newestTicks = long.MinValue;
    private int _busiestHour;

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), "The window must be positive.");

    public ulong Seed { get; } = seed;

    /// <summary>Keys remembered now (waits for a rebuild in the background to land).</summary>
    public int Count
    {
        get
        {
            Land();
            return _sealed.Length + _open.Values.Sum(hour => hour.Count);
        }
    }

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
        if (_sealing is { Done: true })
        {
            Land();
        }

        var read = 0UL;
        foreach (var hour in _open.Values)
        {
            read ^= FirstSlotsOf(hour, digests);
        }

        if (_sealing is { } sealing)
        {
            foreach (var (_, hour) in sealing.Hours)
            {
                read ^= FirstSlotsOf(hour, digests);
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

    private static ulong FirstSlotsOf(DigestSet hour, ReadOnlySpan<ulong> digests)
    {
        var read = 0UL;
        foreach (var digest in digests)
        {
            read ^= hour.FirstSlotOf(digest);
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

        if (_sealing is { } sealing)
        {
            foreach (var (_, digests) in sealing.Hours)
            {
                if (digests.Contains(digest))
                {
                    return true;
                }
            }
        }

        var at = SortedIndexOf(_sealed, digest);
        return at >= 0 && (_sealedHours[at] + 1L) * BucketTicks > _letGoBefore;
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
        Land();
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
        _sealing = null;
        _letGoBefore = long.MinValue;
        _sealed = new ulong[count];
        _sealedHours = new int[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_sealed.AsSpan()));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_sealedHours.AsSpan()));
        _oldestSealedHour = count == 0 ? int.MaxValue : _sealedHours.Min();
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
    /// Where the sorted <paramref name="keys"/> hold the digest, or -1. Seeded digests are spread evenly over 64 bits, so a digest's place is
    /// close to its share of the range between the ends: a few probes guessed that way find it where a binary search of
    /// millions of keys waits on twenty cache misses. Guessing stops after a few probes, so no spread of keys costs more
    /// than a binary search.
    /// </summary>
    internal static int SortedIndexOf(ulong[] keys, ulong digest)
    {
        var (lo, hi) = (0, keys.Length - 1);
        for (var probes = 0; lo <= hi; probes++)
        {
            var (low, high) = (keys[lo], keys[hi]);
            if (digest < low || digest > high)
            {
                return -1;
            }

            var mid = probes < 3 && high > low ? Guess(digest, low, high, lo, hi) : lo + ((hi - lo) >> 1);
            var probe = keys[mid];
            if (probe == digest)
            {
                return mid;
            }

            (lo, hi) = probe < digest ? (mid + 1, hi) : (lo, mid - 1);
        }

        return -1;
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
    /// Seals the open hours two or more behind the newest event and drops the hours wholly behind the window: the open hours
    /// leave at once (those being sealed are looked up in <see cref="Sealing"/> until it lands), and the arrays are rebuilt
    /// in the background. A slide first lands the rebuild before it, waiting for it if it still runs.
    /// </summary>
    private void Slide()
    {
        Land();
        var newestHour = (int)(_newestTicks / BucketTicks);
        var leaving = _open.Keys.Where(hour => hour <= newestHour - 2 || IsExpired(hour)).ToList();
        if (leaving.Count == 0 && (_sealed.Length == 0 || !IsExpired(_oldestSealedHour)))
        {
            return;
        }

        var sealing = new List<(int Hour, DigestSet Digests)>(leaving.Count);
        foreach (var hour in leaving)
        {
            var digests = _open[hour];
            _busiestHour = Math.Max(_busiestHour, digests.Count);
            if (!IsExpired(hour))
            {
                sealing.Add((hour, digests));
            }

            _open.Remove(hour);
        }

        _letGoBefore = _newestTicks - Window.Ticks;
        _sealing = new Sealing(_sealed, _sealedHours, sealing, _letGoBefore, rebuildInBackground);
    }

    /// <summary>Puts the rebuilt arrays in place, waiting for the rebuild if it still runs (or running it here if it has not started).</summary>
    private void Land()
    {
        if (_sealing is { } sealing)
        {
            (_sealed, _sealedHours, _oldestSealedHour) = sealing.Result;
            _sealing = null;
        }
    }

    /// <summary>
    /// One rebuild of the sealed arrays, started on the thread pool: the sealed keys still in the window and the newly sealed
    /// hours', each sorted, merged into arrays of the exact size (24 bytes a key at the peak, old and new arrays at once).
    /// It reads only what the window no longer changes: the old arrays, which are replaced and never written, and the
    /// sealed hours' sets, which have left the open hours (a late event for such an hour opens a new set).
    /// </summary>
    private sealed class Sealing
    {
        private readonly ulong[] _sealed;
        private readonly int[] _sealedHours;
        private readonly long _letGoBefore;

        // Run once, by the pool or by a slide that cannot wait for the pool to get to it.
        private readonly Lazy<(ulong[] Digests, int[] Hours, int Oldest)> _result;

        public Sealing(ulong[] sealedDigests, int[] sealedHours, List<(int Hour, DigestSet Digests)> hours, long letGoBefore, bool start)
        {
            (_sealed, _sealedHours, Hours, _letGoBefore) = (sealedDigests, sealedHours, hours, letGoBefore);
            _result = new(Rebuild, LazyThreadSafetyMode.ExecutionAndPublication);
            if (start)
            {
                _ = Task.Run(() => _result.Value);
            }
        }

        /// <summary>The hours being sealed, looked up here until the rebuild lands.</summary>
        public List<(int Hour, DigestSet Digests)> Hours { get; }

        public bool Done => _result.IsValueCreated;

        public (ulong[] Digests, int[] Hours, int Oldest) Result => _result.Value;

        private (ulong[] Digests, int[] Hours, int Oldest) Rebuild()
        {
            var freshCount = Hours.Sum(hour => hour.Digests.Count);

            // Pooled, as the snapshot's blocks are: they live only for the merge below.
            var freshDigestsRented = ArrayPool<ulong>.Shared.Rent(freshCount);
            var freshHoursRented = ArrayPool<int>.Shared.Rent(freshCount);
            var freshDigests = freshDigestsRented.AsSpan(0, freshCount);
            var freshHours = freshHoursRented.AsSpan(0, freshCount);
            var filled = 0;
            foreach (var (hour, digests) in Hours)
            {
                digests.CopyTo(freshDigests[filled..]);
                freshHours.Slice(filled, digests.Count).Fill(hour);
                filled += digests.Count;
            }

            // Primitive keys sort without a comparison delegate: an hour of a busy partition's keys in a few milliseconds.
            freshDigests.Sort(freshHours);
            var kept = 0;
            foreach (var hour in _sealedHours)
            {
                kept += LetGo(hour) ? 0 : 1;
            }

            var digestsOut = new ulong[kept + freshCount];
            var hoursOut = new int[digestsOut.Length];
            var oldest = int.MaxValue;
            var (old, added, at) = (0, 0, 0);
            while (at < digestsOut.Length)
            {
                if (old < _sealed.Length && LetGo(_sealedHours[old]))
                {
                    old++;
                    continue;
                }

                if (added == freshCount || (old < _sealed.Length && _sealed[old] <= freshDigests[added]))
                {
                    (digestsOut[at], hoursOut[at]) = (_sealed[old], _sealedHours[old++]);
                }
                else
                {
                    (digestsOut[at], hoursOut[at]) = (freshDigests[added], freshHours[added++]);
                }

                oldest = Math.Min(oldest, hoursOut[at++]);
            }

            ArrayPool<ulong>.Shared.Return(freshDigestsRented);
            ArrayPool<int>.Shared.Return(freshHoursRented);
            return (digestsOut, hoursOut, oldest);
        }

        private bool LetGo(int hour) => (hour + 1L) * BucketTicks <= _letGoBefore;
    }
}
