using System.Numerics;
using FsCheck.Xunit;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>
/// <see cref="IntervalTable{TKey, TEntry}"/> finds what a scan finds: the last interval starting at or before a key. Starts
/// come spread and in dense runs (so buckets need windows on several levels), with every index width the range table
/// uses and some it does not, and keys at every start, beside it and at the ends of the key space.
/// </summary>
public sealed class IntervalTablePropertyTests
{
    private static readonly int?[] IndexWidths = [null, 1, 5, 16];

    [Property(MaxTest = 200)]
    public bool IPv4_keys_find_the_last_interval_starting_at_or_before_them(uint[] spread, ushort[] dense, uint denseBase, byte scale, uint[] probes) =>
        AnswersLikeAScan<uint>([.. spread, .. Run(dense).Select(offset => denseBase + ((uint)offset << (scale % 13)))], probes);

    [Property(MaxTest = 200)]
    public bool High_halves_find_the_last_interval_starting_at_or_before_them(ulong[] spread, ushort[] dense, ulong denseBase, byte scale, ulong[] probes) =>
        AnswersLikeAScan<ulong>([.. spread, .. Run(dense).Select(offset => denseBase + ((ulong)offset << (scale % 45)))], probes);

    [Property(MaxTest = 200)]
    public bool IPv6_keys_find_the_last_interval_starting_at_or_before_them(ulong[] highs, ulong[] lows, ushort[] dense, byte scale, byte[] shared, ulong[] probes)
    {
        // Starts spread over the key space, crowding one region (as allocations crowd a registry block), and sharing
        // their high halves (a /64 holding many prefixes).
        var crowded = highs.Length > 0 ? highs[0] : 0x2001_0000_0000_0000;
        UInt128[] starts = [
            .. highs.Zip(lows, (high, low) => new UInt128(high, low)),
            .. Run(dense).Select(offset => new UInt128(crowded + ((ulong)offset << (scale % 45)), 0)),
            .. shared.Select((low, i) => new UInt128(crowded, (ulong)low << (i % 56)))];
        return AnswersLikeAScan(starts, [.. probes.Select((probe, i) => new UInt128(i % 2 == 0 || highs.Length == 0 ? probe : highs[i % highs.Length], probe))]);
    }

    /// <summary>64 neighbouring offsets for each one given: runs long enough to need windows on several levels.</summary>
    private static IEnumerable<uint> Run(ushort[] offsets) => offsets.SelectMany(offset => Enumerable.Range(0, 64).Select(i => (uint)offset * 64 + (uint)i));

    private static bool AnswersLikeAScan<TKey>(TKey[] starts, TKey[] probes)
        where TKey : unmanaged, IBinaryInteger<TKey>, IMinMaxValue<TKey>
    {
        TKey[] sorted = [.. starts.Append(TKey.Zero).Distinct().Order()];
        var intervals = sorted.Select((start, index) => new Numbered<TKey>(start, index)).ToArray();
        TKey[] keys = [.. probes, .. sorted.SelectMany(start => new[] { start, start - TKey.One, start + TKey.One }), TKey.Zero, TKey.MaxValue, TKey.MaxValue - TKey.One];
        foreach (var indexBits in IndexWidths)
        {
            var table = new IntervalTable<TKey, Numbered<TKey>>(intervals, indexBits);
            foreach (var key in keys)
            {
                var found = Array.BinarySearch(sorted, key);
                var expected = found >= 0 ? found : ~found - 1; // the last start at or before the key
                if (table.At(key).Index != expected || table.Walk(table.WalkStart(table.Bucket(key)), key).Index != expected)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private readonly record struct Numbered<TKey>(TKey Start, int Index) : IInterval<TKey>;
}
