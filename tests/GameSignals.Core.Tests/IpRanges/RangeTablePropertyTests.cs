using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GameSignals.IpRanges;

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
            .Concat(sources.Cloud.SelectMany(entry => new[] { entry.Prefix.Start, entry.Prefix.End, entry.Prefix.Start - 1, entry.Prefix.End + 1 }));
        foreach (var key in keys)
        {
            var found = new List<CloudRange>();
            table.GetCloudRanges(key, found);
            var expected = sources.Cloud.Where(entry => entry.Prefix.Contains(key)).Select(entry => entry.Range);
            var blocked = new List<BlocklistEntry>();
            table.GetBlocklistMatches(key, DateTimeOffset.UnixEpoch, blocked);
            var expectedBlocked = sources.Blocklist.Where(entry => IpPrefix.Parse(entry.Cidr!).Contains(key));
            if (!SameItems(found, expected) || !SameItems(blocked, expectedBlocked))
            {
                return false;
            }
        }

        return true;
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
