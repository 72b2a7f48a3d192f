using System.Numerics;

namespace GameSignals.IpRanges;

/// <summary>
/// Ascending interval starts with a first-level index on the top 16 bits of the key, so a lookup binary-searches
/// only the starts sharing those bits (a few dozen at internet size) instead of the whole array. <c>uint</c> for
/// IPv4, <see cref="UInt128"/> for IPv6; hand-written because no library searches sorted integer keys this way.
/// </summary>
internal sealed class SortedStarts<TKey>
    where TKey : unmanaged, IBinaryInteger<TKey>, IUnsignedNumber<TKey>
{
    private const int IndexBits = 16;
    private static readonly int Shift = int.CreateTruncating(TKey.PopCount(TKey.AllBitsSet)) - IndexBits;

    private readonly TKey[] _starts;
    private readonly int[] _firstAtOrAfter; // [b]: index of the first start whose top bits are >= b

    public SortedStarts(TKey[] ascending)
    {
        _starts = ascending;
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

    private static int Bucket(TKey key) => int.CreateTruncating(key >>> Shift);
}
