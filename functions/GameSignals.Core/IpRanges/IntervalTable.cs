using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GameSignals.IpRanges;

/// <summary>An entry of an <see cref="IntervalTable{TKey, TEntry}"/>: it holds the keys from its start to the next entry's.</summary>
internal interface IInterval<TKey>
{
    TKey Start { get; }
}

/// <summary>
/// Intervals sorted by start, and the one holding a key: the last starting at or before it. Keys are <c>uint</c> (IPv4),
/// <c>ulong</c> (the high halves of IPv6 keys, when every start has zero low halves) or <see cref="UInt128"/> (IPv6);
/// the first entry must start at the smallest key looked up. Hand-written: no library searches sorted integer keys
/// this way.
/// <para>
/// The entries sit in blocks. Above them, a static search tree: its last level holds the first key of each block, each
/// level above the first key of every window of the level below (16 <c>uint</c> keys, 8 <c>ulong</c> or 8
/// <see cref="UInt128"/> keys: a cache line or two), up to a root of one window. A first-level index on up to 16 bits
/// of the key (below the common prefix of the bulk of the keys) says where the walk for each bucket starts: at its
/// block, when no block starts inside the bucket, else at the lowest level where one window, from the last key before
/// the bucket, holds the bucket's last key (or, for a crowded bucket of wide keys, in a sub-index on the next 6 bits,
/// whose parts start the same way). A walk counts the keys at or before the key in that window, then in one
/// window per level below, then in the block. Counts are vector compares and arithmetic, with no branch on the data: a
/// branch per comparison mispredicts half the time and, when it waits on a cache miss, keeps the core from starting
/// the next lookup. The index and the tree are a small part of the entries' size and stay in the nearer caches; a
/// lookup usually reads one window and its block.
/// </para>
/// </summary>
internal sealed class IntervalTable<TKey, TEntry>
    where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    where TEntry : struct, IInterval<TKey>
{
    private const int BlockEntries = 8; // the walk reads one block and compares its starts: seven compares, unrolled
    private const int MaxIndexBits = 16;
    private const int LevelBits = 4;
    private const int SubIndexBits = 6;
    private const int SubIndexLevel = (1 << LevelBits) - 1; // an index entry naming a crowded bucket's sub-index

    private readonly TEntry[] _entries; // padded to whole blocks with copies of the last entry: a key past it finds a copy

    // The tree's levels, root first, each followed by a window of empty slots (TKey.MaxValue) so a window may start at
    // any key: uint keys two to a word; UInt128 keys as the level's high halves, then its low halves.
    private readonly ulong[] _words;
    private readonly StoredLevel[] _levels;
    private readonly int[] _index; // per bucket: where its walk starts, position << LevelBits | level (see Walk)
    private readonly int[] _subIndex; // per crowded bucket, the walk starts of its 2^SubIndexBits parts
    private readonly TKey _base;
    private readonly int _shift;

    /// <param name="sorted">The intervals by start.</param>
    /// <param name="indexBits">The index's bits; by default about four blocks to a bucket (a small table's index stays small).</param>
    public IntervalTable(TEntry[] sorted, int? indexBits = null)
    {
        if (sorted.Length == 0)
        {
            throw new ArgumentException("An interval table needs an entry starting at the smallest key.", nameof(sorted));
        }

        var blocks = (sorted.Length + BlockEntries - 1) / BlockEntries;
        _entries = new TEntry[blocks * BlockEntries];
        sorted.CopyTo(_entries, 0);
        _entries.AsSpan(sorted.Length).Fill(sorted[^1]);

        // Levels bottom up: the first key of each block, then of each window of the level below, up to one window.
        var levels = new List<TKey[]> { new TKey[blocks] };
        for (var block = 0; block < blocks; block++)
        {
            levels[0][block] = _entries[block * BlockEntries].Start;
        }

        while (levels[^1].Length > WindowKeys)
        {
            var below = levels[^1];
            var level = new TKey[(below.Length + WindowKeys - 1) / WindowKeys];
            for (var key = 0; key < level.Length; key++)
            {
                level[key] = below[key * WindowKeys];
            }

            levels.Add(level);
        }

        levels.Reverse();
        (_words, _levels) = Store(levels);
        var bits = indexBits ?? Math.Clamp(BitOperations.Log2((uint)blocks / 4) + 1, 1, MaxIndexBits);
        (_base, _shift) = BulkBits(levels[^1], bits);
        (_index, _subIndex) = Index(levels, _base, _shift, (1 << bits) - 1);
    }

    // 16 uint keys, 8 ulong keys or 8 UInt128 keys (their two halves): one or two cache lines, four Vector128 compares.
    private static int WindowKeys => typeof(TKey) == typeof(uint) ? 16 : 8;

    /// <summary>The number of buckets of the first-level index.</summary>
    public int Buckets => _index.Length;

    /// <summary>The bucket of the first-level index holding <paramref name="key"/>: monotonic in the key.</summary>
    public int Bucket(TKey key) => BucketOf(key, _base, _shift, _index.Length - 1);

    /// <summary>Where the walk for the keys of a bucket starts: a non-negative number <see cref="Walk"/> takes.</summary>
    public int WalkStart(int bucket) => _index[bucket];

    /// <summary>The interval holding <paramref name="key"/>; its non-key fields may serve as a cache.</summary>
    public ref TEntry At(TKey key) => ref Walk(_index[Bucket(key)], key);

    /// <summary>The interval holding <paramref name="key"/>, walking from its bucket's <see cref="WalkStart"/>.</summary>
    /// <remarks>
    /// Reads without bounds checks where construction bounds the index: a window from any key of its level (each level
    /// has a window of empty slots after it), a block from any block's first entry.
    /// </remarks>
    public ref TEntry Walk(int start, TKey key)
    {
        ref var words = ref MemoryMarshal.GetArrayDataReference(_words);
        if (typeof(TKey) != typeof(uint) && (start & SubIndexLevel) == SubIndexLevel)
        {
            var part = BucketOf(key, _base, _shift - SubIndexBits, (_index.Length << SubIndexBits) - 1) & ((1 << SubIndexBits) - 1);
            start = _subIndex[(start >> LevelBits) + part];
        }

        var position = start >> LevelBits; // the window's first key on its level; past the last level, the block
        for (var level = start & ((1 << LevelBits) - 1); level < _levels.Length; level++)
        {
            var stored = _levels[level];
            var last = Math.Min(position - 1 + CountAtOrBefore(ref Unsafe.Add(ref words, stored.Word), ref Unsafe.Add(ref words, stored.LowWord), position, key), stored.LastKey);
            position = last * stored.ChildWindow;
        }

        // The block's first entry starts at or before the key (its start is the key the walk found).
        ref var block = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_entries), position * BlockEntries);
        var index = AtOrBefore(Unsafe.Add(ref block, 1).Start, key) + AtOrBefore(Unsafe.Add(ref block, 2).Start, key)
            + AtOrBefore(Unsafe.Add(ref block, 3).Start, key) + AtOrBefore(Unsafe.Add(ref block, 4).Start, key)
            + AtOrBefore(Unsafe.Add(ref block, 5).Start, key) + AtOrBefore(Unsafe.Add(ref block, 6).Start, key)
            + AtOrBefore(Unsafe.Add(ref block, 7).Start, key);

        return ref Unsafe.Add(ref block, index);
    }

    /// <summary>How many keys of the window from <paramref name="first"/> are at or before <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountAtOrBefore(ref ulong level, ref ulong lowHalves, int first, TKey key)
    {
        if (typeof(TKey) == typeof(uint))
        {
            ref var keys = ref Unsafe.Add(ref Unsafe.As<ulong, uint>(ref level), first);
            var wanted = Vector128.Create(Unsafe.As<TKey, uint>(ref key));
            var atOrBefore = Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 4), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 8), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 12), wanted);
            return -Vector128.Sum(atOrBefore.AsInt32()); // each true lane is -1
        }

        if (typeof(TKey) == typeof(ulong))
        {
            ref var keys = ref Unsafe.Add(ref level, first);
            var wanted = Vector128.Create(Unsafe.As<TKey, ulong>(ref key));
            var atOrBefore = Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 2), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 4), wanted)
                + Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref keys, 6), wanted);
            return -(int)Vector128.Sum(atOrBefore.AsInt64());
        }

        var wide = Unsafe.As<TKey, UInt128>(ref key);
        var high = Vector128.Create((ulong)(wide >> 64));
        var low = Vector128.Create((ulong)wide);
        ref var highs = ref Unsafe.Add(ref level, first);
        ref var lows = ref Unsafe.Add(ref lowHalves, first);
        var count = Vector128<ulong>.Zero;
        for (nuint pair = 0; pair < 8; pair += 2)
        {
            var keyHighs = Vector128.LoadUnsafe(ref highs, pair);
            count += Vector128.LessThan(keyHighs, high) | (Vector128.Equals(keyHighs, high) & Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref lows, pair), low));
        }

        return -(int)Vector128.Sum(count.AsInt64());
    }

    /// <summary>1 when <paramref name="start"/> is at or before <paramref name="key"/>, else 0, without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AtOrBefore(TKey start, TKey key)
    {
        if (typeof(TKey) != typeof(UInt128))
        {
            return start <= key ? 1 : 0;
        }

        // UInt128's operator branches on the high halves; comparisons made into integers do not.
        var s = Unsafe.As<TKey, UInt128>(ref start);
        var k = Unsafe.As<TKey, UInt128>(ref key);
        ulong startHigh = (ulong)(s >> 64), keyHigh = (ulong)(k >> 64);
        var before = startHigh < keyHigh ? 1 : 0;
        var sameHigh = startHigh == keyHigh ? 1 : 0;
        var lowAtOrBefore = (ulong)s <= (ulong)k ? 1 : 0;
        return before | (sameHigh & lowAtOrBefore);
    }

    /// <summary>The levels in one array of words, each followed by a window of empty slots.</summary>
    private static (ulong[] Words, StoredLevel[] Levels) Store(List<TKey[]> levels)
    {
        var keysPerWord = typeof(TKey) == typeof(uint) ? 2 : 1;
        var halves = typeof(TKey) == typeof(UInt128) ? 2 : 1;
        var stored = new StoredLevel[levels.Count];
        var words = 0;
        for (var level = 0; level < levels.Count; level++)
        {
            var wordsPerHalf = (levels[level].Length + WindowKeys + keysPerWord - 1) / keysPerWord;
            stored[level] = new StoredLevel(words, halves == 2 ? words + wordsPerHalf : words, levels[level].Length - 1, level == levels.Count - 1 ? 1 : WindowKeys);
            words += wordsPerHalf * halves;
        }

        var keys = new ulong[words];
        for (var level = 0; level < levels.Count; level++)
        {
            for (var key = 0; key < levels[level].Length + WindowKeys; key++)
            {
                var value = key < levels[level].Length ? levels[level][key] : TKey.MaxValue;
                if (typeof(TKey) == typeof(uint))
                {
                    Unsafe.Add(ref Unsafe.As<ulong, uint>(ref keys[stored[level].Word]), key) = Unsafe.As<TKey, uint>(ref value);
                }
                else if (typeof(TKey) == typeof(ulong))
                {
                    keys[stored[level].Word + key] = Unsafe.As<TKey, ulong>(ref value);
                }
                else
                {
                    var wide = Unsafe.As<TKey, UInt128>(ref value);
                    keys[stored[level].Word + key] = (ulong)(wide >> 64);
                    keys[stored[level].LowWord + key] = (ulong)wide;
                }
            }
        }

        return (keys, stored);
    }

    /// <summary>
    /// The bits the index buckets on: the 16 below the common prefix of the bulk of the keys (those between the 1st and
    /// 99th percentile; IPv4: the top 16, IPv6: those below the prefix all routed space shares), keys outside the bulk
    /// going to the first or last bucket.
    /// </summary>
    private static (TKey Base, int Shift) BulkBits(TKey[] ascending, int indexBits)
    {
        var bits = int.CreateTruncating(TKey.PopCount(TKey.AllBitsSet));
        var low = ascending[ascending.Length / 100];
        var high = ascending[ascending.Length - 1 - ascending.Length / 100];
        var differing = bits - int.CreateTruncating(TKey.LeadingZeroCount(low ^ high));
        return (differing >= bits ? TKey.Zero : low >>> differing << differing, Math.Max(0, differing - indexBits));
    }

    /// <summary>
    /// Per bucket, where its walk starts: at its block, when no block starts inside the bucket (most buckets of a sparse
    /// region), else at the lowest level where one window from the last key before the bucket holds the bucket's last
    /// key. IPv6 keys crowd a few registry blocks: a bucket of wide keys that would need three windows or more gets a
    /// sub-index on the next bits instead, its parts' walks starting the same way (IPv4 keys spread; the check would cost
    /// every IPv4 lookup for nothing).
    /// </summary>
    private static (int[] Index, int[] SubIndex) Index(List<TKey[]> levels, TKey indexBase, int shift, int lastBucket)
    {
        var bottom = levels[^1];
        var index = new int[lastBucket + 1];
        var firstKeys = new int[lastBucket + 1]; // per bucket, the first bottom key of it or a later one
        Starts(levels, key => BucketOf(key, indexBase, shift, lastBucket), 0, 0, index, firstKeys);
        var subIndex = new List<int>();
        var parts = new int[1 << SubIndexBits];
        for (var bucket = 0; bucket <= lastBucket && shift >= SubIndexBits && typeof(TKey) != typeof(uint); bucket++)
        {
            if ((index[bucket] & SubIndexLevel) < levels.Count - 2) // three windows or more
            {
                var fineLast = ((lastBucket + 1) << SubIndexBits) - 1;
                Starts(levels, key => BucketOf(key, indexBase, shift - SubIndexBits, fineLast), bucket << SubIndexBits, firstKeys[bucket], parts, null);
                index[bucket] = subIndex.Count << LevelBits | SubIndexLevel;
                subIndex.AddRange(parts);
            }
        }

        return (index, [.. subIndex]);
    }

    /// <summary>The walk starts of the buckets from <paramref name="firstBucket"/> on, whose first bottom key is <paramref name="next"/>.</summary>
    private static void Starts(List<TKey[]> levels, Func<TKey, int> bucketOf, int firstBucket, int next, Span<int> starts, int[]? firstKeys)
    {
        var bottom = levels[^1];
        for (var i = 0; i < starts.Length; i++)
        {
            if (firstKeys is not null)
            {
                firstKeys[i] = next;
            }

            var first = Math.Max(next - 1, 0);
            while (next < bottom.Length && bucketOf(bottom[next]) <= firstBucket + i)
            {
                next++;
            }

            var last = Math.Max(next - 1, first);
            var level = last == first ? levels.Count : levels.Count - 1;
            while (last - first >= WindowKeys)
            {
                (first, last, level) = (first / WindowKeys, last / WindowKeys, level - 1);
            }

            starts[i] = first << LevelBits | level;
        }
    }

    // Monotonic in the key, as the search needs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BucketOf(TKey key, TKey indexBase, int shift, int lastBucket) =>
        key < indexBase ? 0 : int.CreateTruncating(TKey.Min((key - indexBase) >>> shift, TKey.CreateTruncating(lastBucket)));

    /// <summary>
    /// Where a level's keys start in the words (UInt128: their high halves, then the low ones), its last key, and the
    /// keys of a window on the level below (1 on the last level: its keys are the blocks').
    /// </summary>
    /// <remarks>A key equal to TKey.MaxValue also counts the empty slots after the last key: the search clamps to it.</remarks>
    private readonly record struct StoredLevel(int Word, int LowWord, int LastKey, int ChildWindow);
}
