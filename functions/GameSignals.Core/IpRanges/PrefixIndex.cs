namespace GameSignals.IpRanges;

/// <summary>
/// All items of a set of CIDR prefixes that contain an address, without allocating. Written by hand because
/// no BCL or well-kept package answers "every nested prefix containing X" over IPv4 and IPv6 at once.
/// Distinct prefixes are sorted by (start, length); CIDR prefixes are nested or disjoint, so each has a
/// parent (its nearest enclosing prefix). The prefixes containing an address are then the containing part
/// of the parent chain of the last prefix starting at or before it: one binary search and a short walk.
/// </summary>
internal sealed class PrefixIndex<T>
    where T : class
{
    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;
    private readonly byte[] _lengths;
    private readonly int[] _parents;
    private readonly int[] _firstItem; // items of prefix i are _items[_firstItem[i].._firstItem[i + 1]]
    private readonly T[] _items;

    public PrefixIndex(IEnumerable<(IpPrefix Prefix, T Item)> entries)
    {
        // OrderBy is stable: items of one prefix keep their source order.
        var sorted = entries.OrderBy(entry => entry.Prefix.Start).ThenBy(entry => entry.Prefix.Length).ToArray();
        _items = new T[sorted.Length];
        var starts = new List<UInt128>();
        var lengths = new List<byte>();
        var firstItem = new List<int>();
        for (var i = 0; i < sorted.Length; i++)
        {
            var prefix = sorted[i].Prefix;
            if (i == 0 || sorted[i - 1].Prefix != prefix)
            {
                starts.Add(prefix.Start);
                lengths.Add(prefix.Length);
                firstItem.Add(i);
            }

            _items[i] = sorted[i].Item;
        }

        firstItem.Add(sorted.Length);
        _starts = [.. starts];
        _lengths = [.. lengths];
        _firstItem = [.. firstItem];
        _ends = new UInt128[_starts.Length];
        _parents = new int[_starts.Length];
        var open = new Stack<int>();
        for (var i = 0; i < _starts.Length; i++)
        {
            _ends[i] = new IpPrefix(_starts[i], _lengths[i]).End;
            while (open.Count > 0 && _ends[open.Peek()] < _starts[i])
            {
                open.Pop();
            }

            _parents[i] = open.Count > 0 ? open.Peek() : -1;
            open.Push(i);
        }
    }

    public int Count => _items.Length;

    /// <summary>The entries in index order: by prefix start, then length, then source order.</summary>
    public IEnumerable<(IpPrefix Prefix, T Item)> Entries()
    {
        for (var node = 0; node < _starts.Length; node++)
        {
            for (var item = _firstItem[node]; item < _firstItem[node + 1]; item++)
            {
                yield return (new IpPrefix(_starts[node], _lengths[node]), _items[item]);
            }
        }
    }

    /// <summary>Adds the items of every prefix containing the key, innermost prefix first.</summary>
    public void Collect(UInt128 key, ICollection<T> matches) => Collect(key, matches, static (_, _) => true, default(DateTimeOffset));

    /// <summary>As <see cref="Collect(UInt128, ICollection{T})"/>, keeping only items the filter accepts.</summary>
    public void Collect<TState>(UInt128 key, ICollection<T> matches, Func<T, TState, bool> filter, TState state)
    {
        var node = IpKey.LastAtOrBefore(_starts, key);
        while (node >= 0 && _ends[node] < key)
        {
            node = _parents[node];
        }

        // Every ancestor of a containing prefix contains the key too.
        for (; node >= 0; node = _parents[node])
        {
            for (var item = _firstItem[node]; item < _firstItem[node + 1]; item++)
            {
                if (filter(_items[item], state))
                {
                    matches.Add(_items[item]);
                }
            }
        }
    }
}
