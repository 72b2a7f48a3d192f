using System.Numerics;

namespace GameSignals.IpRanges;

/// <summary>
/// Ascending interval starts with a first-level index on 16 bits of the key, so a lookup binary-searches only the
/// starts sharing those bits (a few dozen at internet size) instead of the whole array. The 16 bits are the first
/// ones where the bulk of the starts differ (IPv4: the top 16; IPv6: those below the 2000::/3 all routed space
/// shares), keys outside the bulk going to the first or last bucket. <c>uint</c> for IPv4, <see cref="UInt128"/>
/// for IPv6; hand-written because no library searches sorted integer keys this way.
/// </summary>
internal sealed class SortedStarts<TKey>
    where TKey : unmanaged, IBinaryInteger<TKey>, IUnsignedNumber<TKey>
{
    private const int IndexBits = 16;
    private const int LastBucket = (1 << IndexBits) - 1;

    private readonly TKey[] _starts;
    private readonly int[] _firstAtOrAfter; // [b]: index of the first start whose bucket is >= b
    private readonly TKey _base;
    private readonly int _shift;

    public SortedStarts(TKey[] ascending)
    {
        _starts = ascending;

        // The bulk: the starts between the 1st and 99th percentile; the index covers the bits below their common prefix.
        var low = ascending.Length == 0 ? TKey.Zero : ascending[ascending.Length / 100];
        var high = ascending.Length == 0 ? TKey.AllBitsSet : ascending[ascending.Length - 1 - ascending.Length / 100];
        var differing = int.CreateTruncating(TKey.PopCount(TKey.AllBitsSet) - TKey.LeadingZeroCount(low ^ high));
        _shift = Math.Max(0, differing - IndexBits);
        _base = differing >= int.CreateTruncating(TKey.PopCount(TKey.AllBitsSet)) ? TKey.Zero : low >>> differing << differing;
        _firstAtOrAfter = new int[(1 << IndexBits) + 1];
        var next = 0;
        for (var bucket = 0; bucket <= 1 << IndexBits; bucket++)
        {
            while (next < ascending.Length && Bucket(ascending[next]) < bucket)
            {
                next++;
            }

            _firstAtOrAfter[bucket] = next;
        }
    }

    public int Count => _starts.Length;

    public TKey this[int index] => _starts[index];

    /// <summary>The index of the last start at or before <paramref name="key"/>, -1 when none.</summary>
    public int LastAtOrBefore(TKey key)
    {
        var bucket = Bucket(key);
        int low = _firstAtOrAfter[bucket], high = _firstAtOrAfter[bucket + 1];
        var starts = _starts;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (starts[middle] <= key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low - 1; // no start in the bucket at or before the key: the last one of an earlier bucket
    }

    // Monotonic in the key, as the search needs.
    private int Bucket(TKey key) => key < _base ? 0 : int.CreateTruncating(TKey.Min((key - _base) >>> _shift, TKey.CreateTruncating(LastBucket)));
}
