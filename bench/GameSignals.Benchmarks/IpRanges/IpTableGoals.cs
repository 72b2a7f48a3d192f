using GameSignals.Benchmarks.Components;
using GameSignals.IpRanges;
using GameSignals.Testing;

namespace GameSignals.Benchmarks.IpRanges;

/// <summary>
/// Issue 14's range table goals on the synthetic internet-size table (1.04 million IPv4 and 220,000 IPv6 ASN rows,
/// 100,000 cloud entries, 2,200 blocklist entries): full lookups per second on one core over a million distinct
/// addresses of each family (and over 1,024 cycled ones, the cache-warm best case), bytes per prefix held by the
/// built table (its lookup structure, and with the content any structure holds), build seconds. The structure before issue 14 runs in the same process as the baseline.
/// </summary>
internal static class IpTableGoals
{
    private const int DistinctAddresses = 1 << 20;
    private const int CycledAddresses = 1 << 10;

    public static IEnumerable<GoalLine> Measure()
    {
        var (table, bytes) = Retained(() => RangeTable.Build(SyntheticRanges.Create()));
        var (previous, previousBytes) = Retained(() => new PreviousRangeTable(SyntheticRanges.Create()));
        var (content, contentBytes) = Retained(() => Content(SyntheticRanges.Create()));
        contentBytes -= (long)content.Length * IntPtr.Size; // the holding array is not content

        var sources = SyntheticRanges.Create();
        var prefixes = sources.Asn.Count + sources.Cloud.Count;
        var build = ComponentGoals.MedianCpuSeconds(3, () => RangeTable.Build(sources));
        var previousBuild = ComponentGoals.MedianCpuSeconds(1, () => _ = new PreviousRangeTable(sources));

        foreach (var (family, ipv6, goal) in new[] { ("ipv4", false, 10_000_000), ("ipv6", true, 5_000_000) })
        {
            // The cycled set is the first measure (cache warm); the distinct one shows what cache misses cost.
            var cycled = new FullLookups(SyntheticRanges.Addresses(sources, ipv6, CycledAddresses));
            var distinct = new FullLookups(SyntheticRanges.Addresses(sources, ipv6, DistinctAddresses));
            var cycledRate = PerSecond(count => cycled.Run(table, count), DistinctAddresses);
            var previousCycledRate = PerSecond(count => cycled.Run(previous, count), DistinctAddresses / 4);
            var rate = PerSecond(count => distinct.Run(table, count), DistinctAddresses);
            var previousRate = PerSecond(count => distinct.Run(previous, count), DistinctAddresses / 4);
            yield return new GoalLine(
                $"iptable.{family}_lookups_per_s",
                $"{ComponentGoals.Number(cycledRate)} over 1,024 cycled addresses (previous structure: {ComponentGoals.Number(previousCycledRate)}, " +
                $"{ComponentGoals.Number(cycledRate / previousCycledRate)}x)",
                $">= {ComponentGoals.Number(goal)}",
                cycledRate >= goal);
            yield return new GoalLine(
                $"iptable.{family}_lookups_per_s_distinct",
                $"{ComponentGoals.Number(rate)} over 1,048,576 distinct addresses (previous structure: {ComponentGoals.Number(previousRate)}, " +
                $"{ComponentGoals.Number(rate / previousRate)}x)",
                $">= {ComponentGoals.Number(goal)}",
                rate >= goal);
        }

        var structure = (double)(bytes - contentBytes) / prefixes;
        yield return new GoalLine(
            "iptable.bytes_per_prefix",
            $"{ComponentGoals.Number(structure)} in the lookup structure ({prefixes:N0} rows and prefixes; with the names, records and " +
            $"strings it holds: {ComponentGoals.Number((double)bytes / prefixes)}; previous structure: " +
            $"{ComponentGoals.Number((double)(previousBytes - contentBytes) / prefixes)}, with content {ComponentGoals.Number((double)previousBytes / prefixes)})",
            "<= 48",
            structure <= 48);
        yield return new GoalLine(
            "iptable.build_seconds",
            $"{ComponentGoals.Number(build)} (previous structure: {ComponentGoals.Number(previousBuild)})",
            "< 3",
            build < 3);
        GC.KeepAlive(table);
        GC.KeepAlive(previous);
        GC.KeepAlive(content);
    }

    /// <summary>What any table of the sources holds, whatever its structure: the cloud and blocklist records, the AS names.</summary>
    private static object[] Content(RangeSources sources) =>
        [.. sources.Cloud.Select(entry => (object)entry.Range), .. sources.Blocklist, .. sources.Asn.Select(row => row.Name).Distinct()];

    /// <summary>What <paramref name="build"/> makes and the heap bytes it keeps (its sources are garbage by then).</summary>
    private static (T Built, long Bytes) Retained<T>(Func<T> build)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = build();
        return (built, GC.GetTotalMemory(forceFullCollection: true) - before);
    }

    /// <summary>Lookups per second: one warm-up pass, then the median CPU time of five passes of <paramref name="count"/> lookups.</summary>
    private static double PerSecond(Func<int, int> lookups, int count)
    {
        lookups(count);
        return count / ComponentGoals.MedianCpuSeconds(5, () => lookups(count));
    }
}
