using System.Numerics;
using System.Runtime.CompilerServices;
using GameSignals.IpRanges;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>
/// What a login check asks of the range table: the ASN, every cloud range, every blocklist match. Walks the keys
/// round (their count a power of two), continuing where the last call stopped, so a million distinct keys miss the
/// caches as real traffic does.
/// </summary>
public sealed class FullLookups(UInt128[] keys)
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<CloudRange> _ranges = new(64);
    private readonly List<BlocklistEntry> _blocked = new(16);
    private readonly int _mask = BitOperations.IsPow2(keys.Length) ? keys.Length - 1 : throw new ArgumentException("Key count must be a power of two.", nameof(keys));
    private int _next;

    public int Keys => keys.Length;

    public int Run(RangeTable table, int count) => Run(new Current(table), count);

    public int Run(PreviousRangeTable table, int count) => Run(new Previous(table), count);

    // Generic over a struct: each table's calls are direct, as a caller's would be. Compiled optimised from the start: a
    // measurement calls it a few times with a million lookups each, so tiering would run the loop as on-stack-replaced code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Run<TTable>(TTable table, int count)
        where TTable : struct, ITable
    {
        var found = 0;
        for (var i = 0; i < count; i++)
        {
            var key = keys[_next++ & _mask];
            _ranges.Clear();
            _blocked.Clear();
            found += table.TryGetAsn(key) ? 1 : 0;
            table.GetCloudRanges(key, _ranges);
            table.GetBlocklistMatches(key, At, _blocked);
            found += _ranges.Count + _blocked.Count;
        }

        return found;
    }

    private interface ITable
    {
        bool TryGetAsn(UInt128 key);

        void GetCloudRanges(UInt128 key, List<CloudRange> matches);

        void GetBlocklistMatches(UInt128 key, DateTimeOffset at, List<BlocklistEntry> matches);
    }

    private readonly struct Current(RangeTable table) : ITable
    {
        public bool TryGetAsn(UInt128 key) => table.TryGetAsn(key, out _);

        public void GetCloudRanges(UInt128 key, List<CloudRange> matches) => table.GetCloudRanges(key, matches);

        public void GetBlocklistMatches(UInt128 key, DateTimeOffset at, List<BlocklistEntry> matches) => table.GetBlocklistMatches(key, at, matches);
    }

    private readonly struct Previous(PreviousRangeTable table) : ITable
    {
        public bool TryGetAsn(UInt128 key) => table.TryGetAsn(key, out _);

        public void GetCloudRanges(UInt128 key, List<CloudRange> matches) => table.GetCloudRanges(key, matches);

        public void GetBlocklistMatches(UInt128 key, DateTimeOffset at, List<BlocklistEntry> matches) => table.GetBlocklistMatches(key, at, matches);
    }
}
