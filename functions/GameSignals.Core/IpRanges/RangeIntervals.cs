using System.Numerics;
using System.Runtime.CompilerServices;

namespace GameSignals.IpRanges;

/// <summary>
/// What every address of a covering interval has: the items of its cloud and blocklist covering sets (see
/// <see cref="CoveringPrefixes{T}"/>; empty: none) and the group of blocklist entries naming its ASN row's AS (0: none).
/// </summary>
internal readonly record struct CoveringSets(ItemRange Cloud, ItemRange Blocked, int BlockedAs);

/// <summary>An interval with one ASN answer, and that answer's <see cref="AsnInfo"/> once a lookup made it.</summary>
internal struct AsnInterval<TKey>(TKey start, int row, bool routed) : IInterval<TKey>
{
    private readonly int _row = row < 0 ? 0 : routed ? row + 1 : -(row + 1);

    /// <summary>Made on the first lookup and kept here, where the lookup already is: a race makes two equal records, either is fine.</summary>
    public AsnInfo? Info;

    public readonly TKey Start { get; } = start;

    /// <summary>The ASN row (-1: none).</summary>
    public readonly int Row => Math.Abs(_row) - 1;

    /// <summary>Whether the row's AS is not 0 (AS 0 means "not routed": no <see cref="AsnInfo"/>).</summary>
    public readonly bool Routed => _row > 0;
}

/// <summary>An interval with one combination of covering sets.</summary>
internal readonly record struct CoveringInterval<TKey>(TKey Start, CoveringSets Sets) : IInterval<TKey>;

/// <summary>
/// The key space cut into elementary intervals, twice: by the ASN rows' bounds (each interval names its row and keeps
/// its <see cref="AsnInfo"/>) and by the cloud and blocklist prefixes' bounds and the bounds of rows whose AS is
/// blocklisted (each interval names its covering sets). All addresses of an interval have the same answer. Kept apart,
/// the two suit their sizes: the ASN intervals are a million and miss the caches, so a lookup finds the row and its
/// record in one block (eight entries, two or three cache lines); the covering intervals are a hundred thousand, and most
/// buckets of their index hold no covering bound, so the index names the sets of all the bucket's addresses (empty,
/// mostly) without a walk, and a cached bit per bucket says that no blocklist entry reaches it. IPv4 intervals have
/// 32-bit starts, IPv6 ones 128-bit starts (64-bit for the ASN rows when all their bounds are /64 bounds); adjacent
/// intervals with the same answer are one.
/// </summary>
internal sealed class RangeIntervals
{
    private const int CoveringIndexBits = 16;
    private static readonly UInt128 IPv4First = IpKey.FromIPv4(0);
    private static readonly UInt128 IPv4Last = IpKey.FromIPv4(uint.MaxValue);

    private readonly IntervalTable<uint, AsnInterval<uint>> _ipv4Asn;

    // IPv6 ASN rows start and end on /64 bounds in practice (routed prefixes): then the high halves are keys enough.
    private readonly IntervalTable<ulong, AsnInterval<ulong>>? _ipv6AsnByHigh;
    private readonly IntervalTable<UInt128, AsnInterval<UInt128>>? _ipv6Asn;

    private readonly IntervalTable<uint, CoveringInterval<uint>> _ipv4Covering;
    private readonly IntervalTable<UInt128, CoveringInterval<UInt128>> _ipv6Covering;

    // Per bucket of a covering table's index: ~combination when no covering interval starts inside the bucket (the
    // sets of all its addresses), else where the table's walk starts.
    private readonly int[] _ipv4CoveringIndex;
    private readonly int[] _ipv6CoveringIndex;

    // A bit per bucket of a covering table's index: set when a blocklist entry reaches some address of the bucket. Few
    // do; 8 KB that stay cached let most blocklist checks end without a lookup.
    private readonly ulong[] _ipv4Blocked;
    private readonly ulong[] _ipv6Blocked;
    private readonly CoveringSets[] _combinations;

    /// <param name="rows">ASN rows by start, equal starts in source order: the row of an address is the last one
    /// starting at or before it, if it ends at or after it.</param>
    /// <param name="routed">Per row, whether its AS is not 0.</param>
    /// <param name="cloud">The cloud prefixes and their covering sets.</param>
    /// <param name="blocked">The blocklist prefixes and their covering sets.</param>
    /// <param name="blockedAs">Per row, the group of blocklist entries naming its AS (0: none).</param>
    public RangeIntervals(
        ReadOnlySpan<AsnRow> rows, bool[] routed, CoveringPrefixes<CloudRange> cloud, CoveringPrefixes<BlocklistEntry> blocked, ReadOnlySpan<int> blockedAs)
    {
        var asn = AsnIntervals(rows);
        var (ipv4Asn, ipv6Asn) = SplitFamilies(asn);
        _ipv4Asn = new([.. ipv4Asn.Select(interval => new AsnInterval<uint>(interval.Start, interval.Answer, interval.Answer >= 0 && routed[interval.Answer]))]);
        if (ipv6Asn.All(interval => (ulong)interval.Start == 0))
        {
            _ipv6AsnByHigh = new([.. ipv6Asn.Select(interval => new AsnInterval<ulong>((ulong)(interval.Start >> 64), interval.Answer, interval.Answer >= 0 && routed[interval.Answer]))]);
        }
        else
        {
            _ipv6Asn = new([.. ipv6Asn.Select(interval => new AsnInterval<UInt128>(interval.Start, interval.Answer, interval.Answer >= 0 && routed[interval.Answer]))]);
        }

        // The covering intervals: cut by the prefixes and where the blocklisted AS of the ASN row changes.
        var boundaries = new List<UInt128>((cloud.Prefixes.Length + blocked.Prefixes.Length) * 2 + 3) { UInt128.Zero, IPv4First, IPv4Last + 1 };
        for (var i = 0; i < asn.Count; i++)
        {
            if (GroupOf(asn[i].Answer, blockedAs) != (i == 0 ? 0 : GroupOf(asn[i - 1].Answer, blockedAs)))
            {
                boundaries.Add(asn[i].Start);
            }
        }

        AddBounds(boundaries, cloud.Prefixes);
        AddBounds(boundaries, blocked.Prefixes);
        boundaries.Sort(); // equal boundaries give equal content, merged below
        var covering = new List<(UInt128 Start, int Answer)>();
        var combinationIndex = new Dictionary<CoveringSets, int>();
        var combinations = new List<CoveringSets>();
        var cloudSweep = new InnermostPrefix();
        var blockedSweep = new InnermostPrefix();
        var asnInterval = 0;
        foreach (var boundary in boundaries)
        {
            while (asnInterval + 1 < asn.Count && asn[asnInterval + 1].Start <= boundary)
            {
                asnInterval++;
            }

            var content = new CoveringSets(
                cloud.Set(cloudSweep.SetAt(cloud.Prefixes, boundary)), blocked.Set(blockedSweep.SetAt(blocked.Prefixes, boundary)), GroupOf(asn[asnInterval].Answer, blockedAs));
            if (!combinationIndex.TryGetValue(content, out var index))
            {
                index = combinationIndex[content] = combinations.Count;
                combinations.Add(content);
            }

            Add(covering, boundary, index);
        }

        var (ipv4Covering, ipv6Covering) = SplitFamilies(covering);
        _ipv4Covering = new([.. ipv4Covering.Select(interval => new CoveringInterval<uint>(interval.Start, combinations[interval.Answer]))], CoveringIndexBits);
        _ipv6Covering = new([.. ipv6Covering.Select(interval => new CoveringInterval<UInt128>(interval.Start, combinations[interval.Answer]))], CoveringIndexBits);
        (_ipv4CoveringIndex, _ipv4Blocked) = CoveringIndex(_ipv4Covering, ipv4Covering, combinations);
        (_ipv6CoveringIndex, _ipv6Blocked) = CoveringIndex(_ipv6Covering, ipv6Covering, combinations);
        _combinations = [.. combinations];
    }

    /// <summary>
    /// The ASN row holding the key (-1: none), whether its AS is routed, and where its <see cref="AsnInfo"/> is kept.
    /// </summary>
    public ref AsnInfo? AsnAt(UInt128 key, out int row, out bool routed)
    {
        if (IpKey.IsIPv4(key))
        {
            return ref AsnAt(_ipv4Asn, (uint)key, out row, out routed);
        }

        return ref _ipv6AsnByHigh is not null
            ? ref AsnAt(_ipv6AsnByHigh, (ulong)(key >> 64), out row, out routed)
            : ref AsnAt(_ipv6Asn!, key, out row, out routed);
    }

    /// <summary>Whether a blocklist entry may match the key: false for most keys, answered from a few cached KB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayBeBlocked(UInt128 key)
    {
        if (IpKey.IsIPv4(key))
        {
            var bucket = _ipv4Covering.Bucket((uint)key);
            return (_ipv4Blocked[bucket >> 6] >> bucket & 1) != 0; // a shift takes its count's low 6 bits
        }

        var ipv6Bucket = _ipv6Covering.Bucket(key);
        return (_ipv6Blocked[ipv6Bucket >> 6] >> ipv6Bucket & 1) != 0;
    }

    /// <summary>The covering sets of the interval holding the key.</summary>
    public CoveringSets CoveringAt(UInt128 key) =>
        IpKey.IsIPv4(key) ? CoveringAt(_ipv4Covering, _ipv4CoveringIndex, (uint)key) : CoveringAt(_ipv6Covering, _ipv6CoveringIndex, key);

    private static ref AsnInfo? AsnAt<TKey>(IntervalTable<TKey, AsnInterval<TKey>> table, TKey key, out int row, out bool routed)
        where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    {
        ref var interval = ref table.At(key);
        (row, routed) = (interval.Row, interval.Routed);
        return ref interval.Info;
    }

    private CoveringSets CoveringAt<TKey>(IntervalTable<TKey, CoveringInterval<TKey>> table, int[] index, TKey key)
        where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    {
        var start = index[table.Bucket(key)];
        return start < 0 ? _combinations[~start] : table.Walk(start, key).Sets;
    }

    /// <summary>
    /// Per bucket of the table's index: ~combination when no interval starts inside it, else the table's walk start; and
    /// the buckets a blocklist entry reaches.
    /// </summary>
    private static (int[] Index, ulong[] Blocked) CoveringIndex<TKey>(
        IntervalTable<TKey, CoveringInterval<TKey>> table, List<(TKey Start, int Answer)> intervals, List<CoveringSets> combinations)
        where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    {
        var index = new int[table.Buckets];
        var blocked = new ulong[(index.Length + 63) / 64];
        var next = 0; // the first interval of a later bucket
        for (var bucket = 0; bucket < index.Length; bucket++)
        {
            var before = Math.Max(next - 1, 0);
            while (next < intervals.Count && table.Bucket(intervals[next].Start) <= bucket)
            {
                next++;
            }

            index[bucket] = next - 1 == before ? ~intervals[before].Answer : table.WalkStart(bucket);
            for (var interval = before; interval < next; interval++)
            {
                var sets = combinations[intervals[interval].Answer];
                if (sets.Blocked.From != sets.Blocked.To || sets.BlockedAs != 0)
                {
                    blocked[bucket / 64] |= 1UL << bucket;
                }
            }
        }

        return (index, blocked);
    }

    /// <summary>The ASN elementary intervals of the whole key space as (start, row or -1).</summary>
    private static List<(UInt128 Start, int Answer)> AsnIntervals(ReadOnlySpan<AsnRow> rows)
    {
        var boundaries = new List<UInt128>(rows.Length * 2 + 3) { UInt128.Zero, IPv4First, IPv4Last + 1 };
        foreach (var row in rows)
        {
            AddBounds(boundaries, row.Start, row.End);
        }

        boundaries.Sort();
        var intervals = new List<(UInt128 Start, int Answer)>(boundaries.Count);
        var lastRow = -1;
        foreach (var boundary in boundaries)
        {
            while (lastRow + 1 < rows.Length && rows[lastRow + 1].Start <= boundary)
            {
                lastRow++;
            }

            Add(intervals, boundary, lastRow >= 0 && rows[lastRow].End >= boundary ? lastRow : -1);
        }

        return intervals;
    }

    /// <summary>Adds an interval unless it continues the last one with the same answer; the IPv4 block's bounds always start one.</summary>
    private static void Add(List<(UInt128 Start, int Answer)> intervals, UInt128 start, int answer)
    {
        if (intervals.Count == 0 || intervals[^1].Answer != answer || start == IPv4First || start == IPv4Last + 1)
        {
            intervals.Add((start, answer));
        }
    }

    /// <summary>
    /// The intervals of the IPv4 block (32-bit starts) and the others. An interval after the block with the answer of
    /// the last one before it continues that one: IPv6 keys never fall inside the block.
    /// </summary>
    private static (List<(uint Start, int Answer)> IPv4, List<(UInt128 Start, int Answer)> IPv6) SplitFamilies(List<(UInt128 Start, int Answer)> intervals)
    {
        var ipv4 = new List<(uint Start, int Answer)>();
        var ipv6 = new List<(UInt128 Start, int Answer)>();
        foreach (var (start, answer) in intervals)
        {
            if (start >= IPv4First && start <= IPv4Last)
            {
                ipv4.Add(((uint)start, answer));
            }
            else if (ipv6.Count == 0 || ipv6[^1].Answer != answer)
            {
                ipv6.Add((start, answer));
            }
        }

        return (ipv4, ipv6);
    }

    private static int GroupOf(int row, ReadOnlySpan<int> blockedAs) => row >= 0 ? blockedAs[row] : 0;

    private static void AddBounds(List<UInt128> boundaries, ReadOnlySpan<IpPrefix> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            AddBounds(boundaries, prefix.Start, prefix.End);
        }
    }

    private static void AddBounds(List<UInt128> boundaries, UInt128 start, UInt128 end)
    {
        boundaries.Add(start);
        if (end != UInt128.MaxValue)
        {
            boundaries.Add(end + 1);
        }
    }

    /// <summary>Walks ascending boundaries, keeping the prefixes that contain the current one (innermost on top).</summary>
    private sealed class InnermostPrefix
    {
        private readonly Stack<int> _open = new();
        private int _next;

        /// <summary>The covering set at <paramref name="boundary"/>: innermost containing prefix + 1, or 0.</summary>
        public int SetAt(ReadOnlySpan<IpPrefix> prefixes, UInt128 boundary)
        {
            for (; _next < prefixes.Length && prefixes[_next].Start <= boundary; _next++)
            {
                while (_open.Count > 0 && prefixes[_open.Peek()].End < prefixes[_next].Start)
                {
                    _open.Pop();
                }

                _open.Push(_next);
            }

            while (_open.Count > 0 && prefixes[_open.Peek()].End < boundary)
            {
                _open.Pop();
            }

            return _open.TryPeek(out var innermost) ? innermost + 1 : 0;
        }
    }
}
