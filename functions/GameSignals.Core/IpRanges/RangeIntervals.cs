namespace GameSignals.IpRanges;

/// <summary>
/// What every address of one elementary interval has: its ASN row (-1: none), its cloud and blocklist covering sets,
/// and the group of blocklist entries naming its row's AS (0: none).
/// </summary>
internal readonly record struct IntervalContent(int Row, int CloudSet, int BlockedSet, int BlockedAs);

/// <summary>An interval as stored: its ASN row and its sets (the combinations are few and shared).</summary>
internal readonly record struct StoredInterval(int Row, int Sets);

/// <summary>
/// The key space cut into elementary intervals by every ASN row bound and every cloud and blocklist prefix bound:
/// all addresses of an interval have the same answer, so one search over the interval starts answers all three
/// questions (and the second and third find the same cache lines). IPv4 intervals have 32-bit starts, IPv6 ones
/// 128-bit starts; adjacent intervals with the same content are one.
/// </summary>
internal sealed class RangeIntervals
{
    private static readonly UInt128 IPv4First = IpKey.FromIPv4(0);
    private static readonly UInt128 IPv4Last = IpKey.FromIPv4(uint.MaxValue);

    private readonly SortedStarts<uint> _ipv4Starts;
    private readonly StoredInterval[] _ipv4;
    private readonly SortedStarts<UInt128> _ipv6Starts;
    private readonly StoredInterval[] _ipv6;
    private readonly (int Cloud, int Blocked, int BlockedAs)[] _sets;

    /// <param name="rows">ASN rows by start, equal starts in source order: the row of an address is the last one
    /// starting at or before it, if it ends at or after it.</param>
    /// <param name="cloud">The cloud prefixes by (start, length).</param>
    /// <param name="blocked">The blocklist prefixes by (start, length).</param>
    /// <param name="blockedAs">Per row, the group of blocklist entries naming its AS (0: none).</param>
    public RangeIntervals(ReadOnlySpan<AsnRow> rows, ReadOnlySpan<IpPrefix> cloud, ReadOnlySpan<IpPrefix> blocked, ReadOnlySpan<int> blockedAs)
    {
        var boundaries = new List<UInt128>(rows.Length * 2 + (cloud.Length + blocked.Length) * 2 + 3) { UInt128.Zero, IPv4First, IPv4Last + 1 };
        foreach (var row in rows)
        {
            AddBounds(boundaries, row.Start, row.End);
        }

        foreach (var prefix in cloud)
        {
            AddBounds(boundaries, prefix.Start, prefix.End);
        }

        foreach (var prefix in blocked)
        {
            AddBounds(boundaries, prefix.Start, prefix.End);
        }

        boundaries.Sort(); // equal boundaries give equal content, merged below
        var ipv4Starts = new List<uint>();
        var ipv4 = new List<StoredInterval>();
        var ipv6Starts = new List<UInt128>();
        var ipv6 = new List<StoredInterval>();
        var sets = new Dictionary<(int, int, int), int>();
        var lastRow = -1;
        var cloudSweep = new InnermostPrefix();
        var blockedSweep = new InnermostPrefix();
        foreach (var boundary in boundaries)
        {
            while (lastRow + 1 < rows.Length && rows[lastRow + 1].Start <= boundary)
            {
                lastRow++;
            }

            var row = lastRow >= 0 && rows[lastRow].End >= boundary ? lastRow : -1;
            var combination = (cloudSweep.SetAt(cloud, boundary), blockedSweep.SetAt(blocked, boundary), row >= 0 ? blockedAs[row] : 0);
            if (!sets.TryGetValue(combination, out var setsIndex))
            {
                setsIndex = sets[combination] = sets.Count;
            }

            var content = new StoredInterval(row, setsIndex);
            if (boundary >= IPv4First && boundary <= IPv4Last)
            {
                if (ipv4.Count == 0 || ipv4[^1] != content)
                {
                    ipv4Starts.Add((uint)boundary);
                    ipv4.Add(content);
                }
            }
            else if (ipv6.Count == 0 || ipv6[^1] != content)
            {
                ipv6Starts.Add(boundary);
                ipv6.Add(content);
            }
        }

        _ipv4Starts = new SortedStarts<uint>([.. ipv4Starts]);
        _ipv4 = [.. ipv4];
        _ipv6Starts = new SortedStarts<UInt128>([.. ipv6Starts]);
        _ipv6 = [.. ipv6];
        _sets = [.. sets.OrderBy(pair => pair.Value).Select(pair => pair.Key)];
    }

    /// <summary>The content of the interval holding the key. Intervals after the IPv4 block may be merged with the
    /// last one before it: IPv6 keys never fall inside the block.</summary>
    public IntervalContent At(UInt128 key)
    {
        var interval = IpKey.IsIPv4(key) ? _ipv4[_ipv4Starts.LastAtOrBefore((uint)key)] : _ipv6[_ipv6Starts.LastAtOrBefore(key)];
        var (cloud, blocked, blockedAs) = _sets[interval.Sets];
        return new IntervalContent(interval.Row, cloud, blocked, blockedAs);
    }

    /// <summary>The ASN row of the interval holding the key (-1: none).</summary>
    public int RowAt(UInt128 key) =>
        IpKey.IsIPv4(key) ? _ipv4[_ipv4Starts.LastAtOrBefore((uint)key)].Row : _ipv6[_ipv6Starts.LastAtOrBefore(key)].Row;

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
