using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GameSignals.IpRanges;
using GameSignals.Testing;

namespace GameSignals.Tests.IpRanges;

/// <summary>The table answers exactly what a linear scan over the same entries answers.</summary>
[Collection(RangeFormatsGroup.Name)]
public sealed class RangeTablePropertyTests(RangeFormatsFixture formats)
{
    [Property(MaxTest = 150)]
    public bool Cloud_and_blocklist_lookups_equal_a_naive_scan(uint[] bases, byte[] lengths, uint[] probes)
    {
        if (bases.Length == 0 || lengths.Length == 0)
        {
            return true;
        }

        var sources = new RangeSources();
        for (var i = 0; i < bases.Length; i++)
        {
            var prefix = RandomPrefix(bases[i], lengths[i % lengths.Length], ipv6: i % 2 == 1);
            sources.Cloud.Add(new CloudEntry(prefix, new CloudRange("test", $"c{i}", "", prefix.ToString())));
            if (i % 3 == 0)
            {
                // same prefix again, as AWS lists one prefix for several services
                sources.Cloud.Add(new CloudEntry(prefix, new CloudRange("test", $"d{i}", "", prefix.ToString())));
                sources.Blocklist.Add(new BlocklistEntry(prefix.ToString(), null, $"b{i}"));
            }
        }

        var table = RangeTable.Build(sources);
        var keys = probes.SelectMany(p => new[] { IpKey.FromIPv4(p), (UInt128)p << 96 })
            .Concat(sources.Cloud.SelectMany(entry => Edges(entry.Prefix)))
            .Concat(FamilyEdges);
        return keys.All(key => AnswersLikeAScan(table, sources, key));
    }

    [Property(MaxTest = 100)]
    public bool Nested_prefixes_of_both_families_and_around_the_IPv4_block_answer_like_a_scan(uint[] bases, byte[] lengths, uint[] probes)
    {
        if (bases.Length == 0 || lengths.Length == 0)
        {
            return true;
        }

        // Chains of prefixes, each inside the one before, and IPv6 prefixes that hold the whole IPv4 block (::/0, ::/80, ::ffff:0:0/96).
        var sources = new RangeSources();
        foreach (var covering in IPv4BlockCovers.Where((_, i) => bases[0] % 4 > i))
        {
            var prefix = IpPrefix.Parse(covering);
            sources.Cloud.Add(new CloudEntry(prefix, new CloudRange("test", covering, "", prefix.ToString())));
        }

        for (var i = 0; i < bases.Length; i++)
        {
            var ipv6 = i % 2 == 1;
            var prefix = RandomPrefix(bases[i], lengths[i % lengths.Length], ipv6);
            for (var depth = 0; depth < 3 && prefix.Length < 128; depth++)
            {
                sources.Cloud.Add(new CloudEntry(prefix, new CloudRange("test", $"n{i}.{depth}", "", prefix.ToString())));
                if ((i + depth) % 2 == 0)
                {
                    sources.Blocklist.Add(new BlocklistEntry(prefix.ToString(), null, $"b{i}.{depth}"));
                }

                var longer = (byte)Math.Min(128, prefix.Length + 1 + (lengths[(i + depth + 1) % lengths.Length] % 9));
                var offset = ((UInt128)bases[(i + depth + 1) % bases.Length] << (ipv6 ? 64 : 0)) % (prefix.End - prefix.Start + 1 is var size && size == 0 ? UInt128.MaxValue : size);
                prefix = new IpPrefix((prefix.Start + offset) & (UInt128.MaxValue << (128 - longer)), longer);
            }
        }

        var table = RangeTable.Build(sources);
        var keys = probes.SelectMany(p => new[] { IpKey.FromIPv4(p), (UInt128)p << 96, ((UInt128)p << 64) | p })
            .Concat(sources.Cloud.SelectMany(entry => Edges(entry.Prefix)))
            .Concat(FamilyEdges);
        return keys.All(key => AnswersLikeAScan(table, sources, key));
    }

    [Property(MaxTest = 100)]
    public bool Asn_rows_of_both_families_even_overlapping_answer_like_the_last_row_starting_before(uint[] starts, byte[] sizes, uint[] probes)
    {
        // Rows as ip2asn could list them, overlapping ones included: the row of an address is the last one (by start,
        // then source order) starting at or before it, when it reaches that far.
        var rows = new List<AsnRow>();
        for (var i = 0; i < starts.Length && sizes.Length > 0; i++)
        {
            var size = (UInt128)1 << (sizes[i % sizes.Length] % 40);
            var start = i % 3 == 2 ? (UInt128)starts[i] << 96 | (UInt128)starts[i] : IpKey.FromIPv4(starts[i]);
            var end = IpKey.IsIPv4(start) ? IpKey.FromIPv4((uint)Math.Min(uint.MaxValue, (ulong)(uint)start + (ulong)size)) : start + size;
            rows.Add(new AsnRow(start, end, (uint)i % 5, $"AS{i}", null));
        }

        if (starts.Length > 0 && starts[0] % 2 == 0)
        {
            rows.Add(new AsnRow(0, IpKey.FromIPv4(0) + ((UInt128)1 << 40), 0, "below IPv4", null)); // spans the IPv4 block
        }

        var sources = new RangeSources();
        sources.Asn.AddRange(rows);
        var table = RangeTable.Build(sources);
        var ordered = rows.OrderBy(row => row.Start).ToList();
        var keys = probes.SelectMany(p => new[] { IpKey.FromIPv4(p), (UInt128)p << 96 | (UInt128)p })
            .Concat(rows.SelectMany(row => new[] { row.Start, row.End, row.Start - 1, row.End + 1 }))
            .Concat(FamilyEdges);
        return keys.All(key =>
        {
            var last = ordered.FindLastIndex(row => row.Start <= key);
            var expected = last >= 0 && ordered[last].End >= key ? ordered[last] : (AsnRow?)null;
            return table.TryGetAsnRow(key, out var row) ? expected == row : expected is null;
        });
    }

    [Fact]
    public void A_synthetic_internet_shaped_table_answers_like_a_scan()
    {
        // A hundredth of the internet-size table the benchmarks use: same shapes (row sizes, nesting, shared prefixes).
        var sources = SyntheticRanges.Create(scale: 0.01);
        var table = RangeTable.Build(sources);
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var keys = SyntheticRanges.Addresses(sources, ipv6: false, 400).Concat(SyntheticRanges.Addresses(sources, ipv6: true, 400));
        var rows = sources.Asn.OrderBy(row => row.Start).ToList();
        foreach (var key in keys)
        {
            Assert.True(AnswersLikeAScan(table, sources, key, at), IpKey.ToText(key));
            var expectedRow = rows.Where(row => row.Start <= key && key <= row.End).ToList();
            Assert.Equal(expectedRow, table.TryGetAsnRow(key, out var row) ? [row] : []);
            var blockedAsns = sources.Blocklist.Where(entry => entry.Asn is not null && expectedRow.Any(row => row.Number == entry.Asn));
            var blocked = new List<BlocklistEntry>();
            table.GetBlocklistMatches(key, at, blocked);
            Assert.Equal(blockedAsns.Count(), blocked.Count(entry => entry.Asn is not null));
        }
    }

    [Fact]
    public void Full_lookups_allocate_nothing_once_their_asn_records_are_made()
    {
        var sources = SyntheticRanges.Create(scale: 0.01);
        var table = RangeTable.Build(sources);
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var keys = SyntheticRanges.Addresses(sources, ipv6: false, 400).Concat(SyntheticRanges.Addresses(sources, ipv6: true, 400)).ToArray();
        var ranges = new List<CloudRange>(64);
        var blocked = new List<BlocklistEntry>(64);
        var found = 0;
        void Lookups()
        {
            foreach (var key in keys)
            {
                ranges.Clear();
                blocked.Clear();
                found += table.TryGetAsn(key, out _) ? 1 : 0;
                table.GetCloudRanges(key, ranges);
                table.GetBlocklistMatches(key, at, blocked);
                found += ranges.Count + blocked.Count;
            }
        }

        Lookups(); // makes each interval's AsnInfo
        var before = GC.GetAllocatedBytesForCurrentThread();
        Lookups();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(found > 0);
    }

    [Property(MaxTest = 100)]
    public bool Asn_lookups_in_ip2asn_rows_equal_a_naive_scan(uint[] probes)
    {
        var rows = formats.Sources.Asn;
        // Random probes rarely fall in the fixture's rows: every row's edges and their neighbours are probed too.
        var keys = probes.Select(IpKey.FromIPv4).Concat(rows.SelectMany(row => new[] { row.Start - 1, row.Start, row.End, row.End + 1 }));
        return keys.All(key =>
        {
            var expected = rows.Where(row => row.Start <= key && key <= row.End).ToList();
            return formats.Table.TryGetAsnRow(key, out var row) ? expected.SequenceEqual([row]) : expected.Count == 0;
        });
    }

    [Fact]
    public void Random_addresses_inside_published_prefixes_find_them_like_a_scan()
    {
        var entries = formats.Sources.Cloud;
        var random = new Random(7);
        var check = Prop.ForAll(Gen.Choose(0, entries.Count - 1).ToArbitrary(), index =>
        {
            var prefix = entries[index].Prefix;
            var offset = (UInt128)random.NextInt64() % (prefix.End - prefix.Start + 1);
            var key = prefix.Start + offset;
            var found = new List<CloudRange>();
            formats.Table.GetCloudRanges(key, found);
            return SameItems(found, entries.Where(entry => entry.Prefix.Contains(key)).Select(entry => entry.Range));
        });

        check.QuickCheckThrowOnFailure();
    }

    private static readonly string[] IPv4BlockCovers = ["::/0", "::/80", "::ffff:0.0.0.0/96"];

    private static readonly UInt128[] FamilyEdges =
        [UInt128.Zero, IpKey.FromIPv4(0) - 1, IpKey.FromIPv4(0), IpKey.FromIPv4(uint.MaxValue), IpKey.FromIPv4(uint.MaxValue) + 1, UInt128.MaxValue];

    private static IEnumerable<UInt128> Edges(IpPrefix prefix) => [prefix.Start, prefix.End, prefix.Start - 1, prefix.End + 1];

    private static bool AnswersLikeAScan(RangeTable table, RangeSources sources, UInt128 key, DateTimeOffset at = default)
    {
        var found = new List<CloudRange>();
        table.GetCloudRanges(key, found);
        var expected = sources.Cloud.Where(entry => entry.Prefix.Contains(key)).Select(entry => entry.Range);
        var blocked = new List<BlocklistEntry>();
        table.GetBlocklistMatches(key, at, blocked);
        var expectedBlocked = sources.Blocklist.Where(entry => entry.Cidr is not null && IpPrefix.Parse(entry.Cidr).Contains(key) && BlocklistRules.IsActive(entry, at));
        return SameItems(found, expected) && SameItems(blocked.Where(entry => entry.Cidr is not null), expectedBlocked);
    }

    private static IpPrefix RandomPrefix(uint bits, byte length, bool ipv6)
    {
        if (ipv6)
        {
            var v6Length = length % 41; // short enough to nest often
            var start = ((UInt128)bits << 96) & (v6Length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - v6Length));
            return new IpPrefix(start, (byte)v6Length);
        }

        var v4Length = length % 33;
        var mask = v4Length == 0 ? 0u : uint.MaxValue << (32 - v4Length);
        return new IpPrefix(IpKey.FromIPv4(bits & mask), (byte)(96 + v4Length));
    }

    private static bool SameItems<T>(IEnumerable<T> actual, IEnumerable<T> expected)
        where T : class =>
        actual.Select(item => item.ToString()).Order(StringComparer.Ordinal)
            .SequenceEqual(expected.Select(item => item.ToString()).Order(StringComparer.Ordinal));
}
