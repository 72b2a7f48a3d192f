using System.Runtime.CompilerServices;

namespace GameSignals.IpRanges;

/// <summary>The items of a covering set: positions <see cref="From"/> to <see cref="To"/> (excluded) of the item runs.</summary>
internal readonly record struct ItemRange(int From, int To);

/// <summary>
/// A set of CIDR prefixes with items, and for each prefix its covering set: its items, then its parent's, and so on,
/// innermost first. CIDR prefixes are nested or disjoint, so the prefixes containing an address are named by the
/// innermost one: <see cref="RangeIntervals"/> maps each address to that set (where its items sit), shared by every
/// interval with the same innermost prefix. Written by hand because no BCL or well-kept package answers "every nested prefix containing X".
/// </summary>
internal sealed class CoveringPrefixes<T>
    where T : class
{
    // Distinct prefixes by (start, length); the items of prefix i are _items[_firstItem[i].._firstItem[i + 1]].
    private readonly IpPrefix[] _prefixes;
    private readonly int[] _firstItem;
    private readonly T[] _items;

    // Covering set s is _setItems[_setStart[s].._setStart[s + 1]]; set 0 is empty, set i + 1 is that of prefix i.
    private readonly int[] _setStart;
    private readonly T[] _setItems;

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
    }

    public int Count => _items.Length;

    /// <summary>The distinct prefixes by (start, length); prefix i has covering set i + 1.</summary>
    public ReadOnlySpan<IpPrefix> Prefixes => _prefixes;

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

    /// <summary>The items of covering set <paramref name="set"/> (0: none), where they sit in the item runs.</summary>
    public ItemRange Set(int set) => new(_setStart[set], _setStart[set + 1]);

    /// <summary>Adds the items of a covering set.</summary>
    /// <remarks>
    /// A list takes them in one copy: adding one at a time checks each item's type against the list's array, which reads
    /// the item's header, a cache miss per record at internet size.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Collect(ItemRange set, ICollection<T> matches)
    {
        if (set.From != set.To) // most addresses have none: checked inline, before the shared generic code's type lookups
        {
            CollectItems(set, matches);
        }
    }

    private void CollectItems(ItemRange set, ICollection<T> matches)
    {
        var items = _setItems.AsSpan(set.From, set.To - set.From);
        if (matches is List<T> list)
        {
            list.AddRange(items);
            return;
        }

        foreach (var item in items)
        {
            matches.Add(item);
        }
    }

    /// <summary>As <see cref="Collect(ItemRange, ICollection{T})"/>, keeping only items the filter accepts.</summary>
    public void Collect<TState>(ItemRange set, ICollection<T> matches, Func<T, TState, bool> filter, TState state)
    {
        for (var item = set.From; item < set.To; item++)
        {
            if (filter(_setItems[item], state))
            {
                matches.Add(_setItems[item]);
            }
        }
    }

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
}
