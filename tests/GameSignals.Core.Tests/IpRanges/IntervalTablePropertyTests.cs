using System.Numerics;
using FsCheck.Xunit;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>
/// <see cref="IntervalTable{TKey, TEntry}"/> finds what a scan finds: the last interval starting at or before a key. Starts
/// come spread and in dense runs (so buckets need windows on several levels), with every block size and index width
/// the range table uses and some it does not, and keys at every start, beside it and at the ends of the key space.
/// </summary>
public sealed class IntervalTablePropertyTests
{
    private static readonly int[] BlockSizes = [1, 4, 8];
    private static readonly int?[] IndexWidths = [null, 1, 5, 16];

    [Property(MaxTest = 200)]
    public bool IPv4_keys_find_the_last_interval_starting_at_or_before_them(uint[] spread, ushort[] dense, uint denseBase, uint[] probes) =>
        AnswersLikeAScan<uint>([.. spread, .. dense.Select(offset => denseBase + offset)], probes);

    [Property(MaxTest = 200)]
    public bool High_halves_find_the_last_interval_starting_at_or_before_them(ulong[] spread, ushort[] dense, ulong denseBase, ulong[] probes) =>
        AnswersLikeAScan<ulong>([.. spread, .. dense.Select(offset => denseBase + offset)], probes);

    [Property(MaxTest = 200)]
    public bool IPv6_keys_find_the_last_interval_starting_at_or_before_them(ulong[] highs, ulong[] lows, byte[] shared, ulong[] probes)
    {
        // Starts sharing their high halves (a /64 holding many prefixes) and starts spread over the key space.
        UInt128[] starts = [
            .. highs.Zip(lows, (high, low) => new UInt128(high, low)),
            .. shared.Select((low, i) => new UInt128(highs.Length > 0 ? highs[0] : 0x2001, (ulong)low << (i % 56)))];
        return AnswersLikeAScan(starts, [.. probes.Select((probe, i) => new UInt128(i % 2 == 0 || highs.Length == 0 ? probe : highs[i % highs.Length], probe))]);
    }

    private static bool AnswersLikeAScan<TKey>(TKey[] starts, TKey[] probes)
        where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    {
        TKey[] sorted = [.. starts.Append(TKey.Zero).Distinct().Order()];
        var intervals = sorted.Select((start, index) => new Numbered<TKey>(start, index)).ToArray();
        TKey[] keys = [.. probes, .. sorted.SelectMany(start => new[] { start, start - TKey.One, start + TKey.One }), TKey.Zero, TKey.MaxValue, TKey.MaxValue - TKey.One];
        foreach (var blockEntries in BlockSizes)
        {
            foreach (var indexBits in IndexWidths)
            {
                var table = new IntervalTable<TKey, Numbered<TKey>>(intervals, blockEntries, indexBits);
                foreach (var key in keys)
                {
                    var expected = Array.FindLastIndex(sorted, start => start <= key);
                    if (table.At(key).Index != expected || table.Walk(table.WalkStart(table.Bucket(key)), key).Index != expected)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private readonly record struct Numbered<TKey>(TKey Start, int Index) : IInterval<TKey>;
}
