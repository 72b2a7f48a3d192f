namespace GameSignals.IpRanges;

/// <summary>
/// All items of a set of CIDR prefixes that contain an address, without allocating. Written by hand because no BCL
/// or well-kept package answers "every nested prefix containing X" over IPv4 and IPv6 at once.
/// The prefix boundaries cut the key space into elementary intervals; every address of an interval is inside the
/// same prefixes, so each interval points to one precomputed covering set. CIDR prefixes are nested or disjoint,
/// so that set is named by the innermost prefix: its items, then its parent's, and so on (shared by all the
/// intervals with the same innermost prefix). A lookup is one search over the interval starts of its family.
/// </summary>
internal sealed class CoveringPrefixes<T>
    where T : class
{
    private static readonly UInt128 IPv4First = IpKey.FromIPv4(0);
    private static readonly UInt128 IPv4Last = IpKey.FromIPv4(uint.MaxValue);

    // Distinct prefixes by (start, length); the items of prefix i are _items[_firstItem[i].._firstItem[i + 1]].
    private readonly IpPrefix[] _prefixes;
    private readonly int[] _firstItem;
    private readonly T[] _items;

    // Covering set s is _setItems[_setStart[s].._setStart[s + 1]], innermost prefix first; set 0 is empty, set i + 1
    // belongs to prefix i.
    private readonly int[] _setStart;
    private readonly T[] _setItems;

    private readonly SortedStarts<uint> _ipv4Starts;
    private readonly int[] _ipv4Sets;
    private readonly SortedStarts<UInt128> _ipv6Starts;
    private readonly int[] _ipv6Sets;

    public CoveringPrefixes(IEnumerable<(IpPrefix Prefix, T Item)> entries)
    {
        // OrderBy is stable: items of one prefix keep their source order.
        var sorted = entries.OrderBy(entry => entry.Prefix.Start).ThenBy(entry => entry.Prefix.Length).ToArray();
        _items = new T[sorted.Length];
        var prefixes = new List<IpPrefix>();
        var firstItem = new List<int>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i - 1].Prefix != sorted[i].Prefix)
            {
                prefixes.Add(sorted[i].Prefix);
                firstItem.Add(i);
            }

            _items[i] = sorted[i].Item;
        }

        firstItem.Add(sorted.Length);
        _prefixes = [.. prefixes];
        _firstItem = [.. firstItem];
        (_setStart, _setItems) = CoveringSets(_prefixes, _firstItem, _items);

        var (ipv4Starts, ipv4Sets) = Intervals(_prefixes, IPv4First, IPv4Last, prefix => prefix.Start <= IPv4Last && prefix.End >= IPv4First);
        _ipv4Starts = new SortedStarts<uint>([.. ipv4Starts.Select(start => (uint)start)]);
        _ipv4Sets = ipv4Sets;
        var (ipv6Starts, ipv6Sets) = Intervals(_prefixes, UInt128.Zero, UInt128.MaxValue, prefix => !prefix.IsIPv4);
        _ipv6Starts = new SortedStarts<UInt128>(ipv6Starts);
        _ipv6Sets = ipv6Sets;
    }

    public int Count => _items.Length;

    /// <summary>The entries in index order: by prefix start, then length, then source order.</summary>
    public IEnumerable<(IpPrefix Prefix, T Item)> Entries()
    {
        for (var prefix = 0; prefix < _prefixes.Length; prefix++)
        {
            for (var item = _firstItem[prefix]; item < _firstItem[prefix + 1]; item++)
            {
                yield return (_prefixes[prefix], _items[item]);
            }
        }
    }

    /// <summary>Adds the items of every prefix containing the key, innermost prefix first.</summary>
    public void Collect(UInt128 key, ICollection<T> matches)
    {
        var set = SetOf(key);
        for (var item = _setStart[set]; item < _setStart[set + 1]; item++)
        {
            matches.Add(_setItems[item]);
        }
    }

    /// <summary>As <see cref="Collect(UInt128, ICollection{T})"/>, keeping only items the filter accepts.</summary>
    public void Collect<TState>(UInt128 key, ICollection<T> matches, Func<T, TState, bool> filter, TState state)
    {
        var set = SetOf(key);
        for (var item = _setStart[set]; item < _setStart[set + 1]; item++)
        {
            if (filter(_setItems[item], state))
            {
                matches.Add(_setItems[item]);
            }
        }
    }

    private int SetOf(UInt128 key) =>
        IpKey.IsIPv4(key) ? _ipv4Sets[_ipv4Starts.LastAtOrBefore((uint)key)] : _ipv6Sets[_ipv6Starts.LastAtOrBefore(key)];

    private static (int[] SetStart, T[] SetItems) CoveringSets(IpPrefix[] prefixes, int[] firstItem, T[] items)
    {
        var setStart = new int[prefixes.Length + 2];
        var setItems = new List<T>();
        var open = new Stack<int>(); // the prefixes enclosing the current one, innermost on top
        for (var i = 0; i < prefixes.Length; i++)
        {
            while (open.Count > 0 && prefixes[open.Peek()].End < prefixes[i].Start)
            {
                open.Pop();
            }

            setStart[i + 1] = setItems.Count;
            setItems.AddRange(items.AsSpan(firstItem[i], firstItem[i + 1] - firstItem[i]));
            if (open.TryPeek(out var parent))
            {
                for (var item = setStart[parent + 1]; item < setStart[parent + 2]; item++)
                {
                    setItems.Add(setItems[item]);
                }
            }

            open.Push(i);
        }

        setStart[prefixes.Length + 1] = setItems.Count;
        return (setStart, [.. setItems]);
    }

    /// <summary>
    /// The elementary intervals of [<paramref name="low"/>, <paramref name="high"/>] cut by the included prefixes:
    /// each interval's start and covering set, adjacent intervals with the same set merged.
    /// </summary>
    private static (UInt128[] Starts, int[] Sets) Intervals(IpPrefix[] prefixes, UInt128 low, UInt128 high, Func<IpPrefix, bool> include)
    {
        var included = Enumerable.Range(0, prefixes.Length).Where(i => include(prefixes[i])).ToArray();
        var boundaries = new List<UInt128>(included.Length * 2 + 1) { low };
        foreach (var i in included)
        {
            if (prefixes[i].Start > low)
            {
                boundaries.Add(prefixes[i].Start);
            }

            if (prefixes[i].End < high)
            {
                boundaries.Add(prefixes[i].End + 1);
            }
        }

        boundaries.Sort();
        var starts = new List<UInt128>();
        var sets = new List<int>();
        var open = new Stack<int>();
        var next = 0;
        foreach (var boundary in boundaries)
        {
            for (; next < included.Length && prefixes[included[next]].Start <= boundary; next++)
            {
                while (open.Count > 0 && prefixes[open.Peek()].End < prefixes[included[next]].Start)
                {
                    open.Pop();
                }

                open.Push(included[next]);
            }

            while (open.Count > 0 && prefixes[open.Peek()].End < boundary)
            {
                open.Pop();
            }

            var set = open.TryPeek(out var innermost) ? innermost + 1 : 0;
            if (sets.Count == 0 || sets[^1] != set)
            {
                starts.Add(boundary);
                sets.Add(set);
            }
        }

        return ([.. starts], [.. sets]);
    }
}
