using System.Collections.Frozen;
using GameSignals.IpRanges;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>
/// The range table's lookup structure before issue 14, kept only as the benchmarks' baseline: the ASN row by a
/// binary search over 128-bit row starts; cloud and blocklist prefixes sorted by (start, length) with each one's
/// nearest enclosing prefix, answered by a binary search and a walk up the parent chain.
/// </summary>
public sealed class PreviousRangeTable
{
    private readonly ParentChains<CloudRange> _cloud;
    private readonly ParentChains<BlocklistEntry> _blockedPrefixes;
    private readonly FrozenDictionary<uint, BlocklistEntry[]> _blockedAsns;
    private readonly AsnRow[] _asnRows;
    private readonly UInt128[] _asnStarts;
    private readonly AsnInfo?[] _asnInfos;

    public PreviousRangeTable(RangeSources sources)
    {
        _cloud = new ParentChains<CloudRange>(sources.Cloud.Select(entry => (entry.Prefix, entry.Range)));
        _blockedPrefixes = new ParentChains<BlocklistEntry>(
            sources.Blocklist.Where(entry => entry.Cidr is not null).Select(entry => (IpPrefix.Parse(entry.Cidr!), entry)));
        _blockedAsns = sources.Blocklist.Where(entry => entry.Asn is not null)
            .GroupBy(entry => entry.Asn!.Value).ToFrozenDictionary(group => group.Key, group => group.ToArray());
        _asnRows = [.. sources.Asn.OrderBy(row => row.Start)];
        _asnStarts = [.. _asnRows.Select(row => row.Start)];
        _asnInfos = new AsnInfo?[_asnRows.Length];
    }

    public bool TryGetAsn(UInt128 key, out AsnInfo? asn)
    {
        var index = AsnRowIndex(key);
        if (index < 0 || _asnRows[index].Number == 0)
        {
            asn = null;
            return false;
        }

        var row = _asnRows[index];
        asn = _asnInfos[index] ??= new AsnInfo(row.Number, row.Name, row.Country, IpKey.ToText(row.Start), IpKey.ToText(row.End));
        return true;
    }

    public void GetCloudRanges(UInt128 key, ICollection<CloudRange> matches) => _cloud.Collect(key, matches, static (_, _) => true, default(DateTimeOffset));

    public void GetBlocklistMatches(UInt128 key, DateTimeOffset at, ICollection<BlocklistEntry> matches)
    {
        _blockedPrefixes.Collect(key, matches, BlocklistRules.IsActive, at);
        var index = AsnRowIndex(key);
        if (index >= 0 && _blockedAsns.TryGetValue(_asnRows[index].Number, out var entries))
        {
            foreach (var entry in entries)
            {
                if (BlocklistRules.IsActive(entry, at))
                {
                    matches.Add(entry);
                }
            }
        }
    }

    private int AsnRowIndex(UInt128 key)
    {
        var index = LastAtOrBefore(_asnStarts, key);
        return index >= 0 && _asnRows[index].End >= key ? index : -1;
    }

    private static int LastAtOrBefore(UInt128[] sorted, UInt128 key)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (sorted[middle] <= key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low - 1;
    }

    private sealed class ParentChains<T>
        where T : class
    {
        private readonly UInt128[] _starts;
        private readonly UInt128[] _ends;
        private readonly int[] _parents;
        private readonly int[] _firstItem;
        private readonly T[] _items;

        public ParentChains(IEnumerable<(IpPrefix Prefix, T Item)> entries)
        {
            var sorted = entries.OrderBy(entry => entry.Prefix.Start).ThenBy(entry => entry.Prefix.Length).ToArray();
            _items = [.. sorted.Select(entry => entry.Item)];
            var distinct = Enumerable.Range(0, sorted.Length).Where(i => i == 0 || sorted[i - 1].Prefix != sorted[i].Prefix).ToArray();
            _starts = [.. distinct.Select(i => sorted[i].Prefix.Start)];
            _ends = [.. distinct.Select(i => sorted[i].Prefix.End)];
            _firstItem = [.. distinct, sorted.Length];
            _parents = new int[_starts.Length];
            var open = new Stack<int>();
            for (var i = 0; i < _starts.Length; i++)
            {
                while (open.Count > 0 && _ends[open.Peek()] < _starts[i])
                {
                    open.Pop();
                }

                _parents[i] = open.Count > 0 ? open.Peek() : -1;
                open.Push(i);
            }
        }

        public void Collect<TState>(UInt128 key, ICollection<T> matches, Func<T, TState, bool> filter, TState state)
        {
            var node = LastAtOrBefore(_starts, key);
            while (node >= 0 && _ends[node] < key)
            {
                node = _parents[node];
            }

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
}
