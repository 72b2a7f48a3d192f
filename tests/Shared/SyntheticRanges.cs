using GameSignals.IpRanges;

namespace GameSignals.Testing;

/// <summary>
/// A deterministic, internet-size range table for tests and benchmarks (the real full files are too big to ship).
/// The shapes follow the real publications: ip2asn rows tile the routed space, mostly aligned, mostly /24 to /20 in
/// IPv4 (a gap after about one row in eleven) and /32 to /48 in IPv6 (allocations spread over the registries'
/// blocks, a gap after one row in four); cloud prefixes are 3/4 IPv4,
/// about 28% top-level aggregates, 70% one level inside one and 2% two levels deep, and a prefix is listed by one to
/// three entries (AWS and Azure list one prefix under several services and tags). Sizes scale with
/// the scale given to <see cref="Create"/>: 1 is 1.04 million IPv4 rows, 220,000 IPv6 rows and 100,000 cloud entries.
/// </summary>
internal static class SyntheticRanges
{
    public const int IPv4Rows = 1_040_000;
    public const int IPv6Rows = 220_000;
    public const int CloudEntries = 100_000;
    public const int BlocklistPrefixes = 2_000;
    public const int BlocklistAsns = 200;

    private static readonly string[] Providers = ["aws", "azure", "gcp"];
    private static readonly string[] Countries = ["US", "DE", "CN", "BR", "IN", "JP", "GB", "FR", "RU", "KR", "NL", "AU"];

    // (log2 of the row size, weight): the sample ip2asn file's shape, the largest sizes thinned so 1.04 million rows fit in 2^32.
    private static readonly (int Bits, int Weight)[] IPv4RowSizes =
        [(0, 2), (6, 1), (7, 2), (8, 480), (9, 60), (10, 145), (11, 25), (12, 155), (13, 80), (14, 18), (15, 12), (16, 10), (17, 3), (18, 2)];

    // IPv6 rows, as prefix lengths: /48 dominates the routed table, then /32 and the /29../44 allocations.
    private static readonly (int Length, int Weight)[] IPv6RowLengths = [(29, 3), (32, 25), (36, 5), (40, 8), (44, 9), (48, 50)];

    // Cloud prefix lengths per family, split into aggregates and the prefixes inside them (from the AWS, Azure and GCP files).
    private static readonly (int Length, int Weight)[] IPv4Aggregates = [(11, 1), (12, 2), (13, 4), (14, 12), (15, 38), (16, 109), (17, 124), (18, 111), (19, 77), (20, 79), (21, 100), (22, 165), (23, 363), (24, 300)];
    private static readonly (int Length, int Weight)[] IPv4Inner = [(20, 20), (21, 40), (22, 80), (23, 120), (24, 637), (25, 303), (26, 593), (27, 770), (28, 798), (29, 764), (30, 371), (31, 358), (32, 1600)];
    private static readonly (int Length, int Weight)[] IPv6Aggregates = [(32, 2), (36, 34), (39, 15), (40, 243), (44, 7), (47, 27), (48, 161), (56, 100), (64, 50)];
    private static readonly (int Length, int Weight)[] IPv6Inner = [(48, 20), (54, 16), (55, 23), (56, 60), (59, 37), (62, 53), (63, 79), (64, 150), (120, 72), (121, 311), (122, 297), (123, 394), (124, 182), (125, 272), (126, 36), (128, 87)];

    /// <summary>The table's sources; the same <paramref name="seed"/> and <paramref name="scale"/> give the same rows.</summary>
    public static RangeSources Create(double scale = 1, int seed = 2026)
    {
        var random = new Random(seed);
        var sources = new RangeSources();
        var asns = AsNames(random, Math.Max(100, (int)(75_000 * scale)));
        AddIPv4Rows(sources, random, asns, Scaled(IPv4Rows, scale));
        AddIPv6Rows(sources, random, asns, Scaled(IPv6Rows, scale));
        AddCloud(sources, random, Scaled(CloudEntries, scale));
        AddBlocklist(sources, random, asns, Scaled(BlocklistPrefixes, scale), Scaled(BlocklistAsns, scale));
        return sources;
    }

    /// <summary>
    /// Addresses to look up: <paramref name="count"/> keys of one family, a quarter inside cloud prefixes and the rest
    /// anywhere in the ASN rows (IPv4: anywhere at all).
    /// </summary>
    public static UInt128[] Addresses(RangeSources sources, bool ipv6, int count, int seed = 7)
    {
        var random = new Random(seed);
        var cloud = sources.Cloud.Where(entry => entry.Prefix.IsIPv4 != ipv6).Select(entry => entry.Prefix).ToArray();
        var rows = sources.Asn.Where(row => IpKey.IsIPv4(row.Start) != ipv6).ToArray();
        var keys = new UInt128[count];
        for (var i = 0; i < count; i++)
        {
            if (i % 4 == 0)
            {
                var prefix = cloud[random.Next(cloud.Length)];
                keys[i] = prefix.Start + RandomBelow(random, prefix.End - prefix.Start + 1);
            }
            else if (!ipv6)
            {
                keys[i] = IpKey.FromIPv4((uint)random.NextInt64(0, 1L << 32));
            }
            else
            {
                var row = rows[random.Next(rows.Length)];
                keys[i] = row.Start + RandomBelow(random, row.End - row.Start + 1);
            }
        }

        return keys;
    }

    private static int Scaled(int count, double scale) => Math.Max(1, (int)(count * scale));

    private static (uint Number, string Name, string? Country)[] AsNames(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (
            (uint)(1000 + i * 7 + random.Next(7)),
            $"AS{i}-NET Example Networks {i % 97}",
            i % 50 == 0 ? null : Countries[random.Next(Countries.Length)]))];

    private static (uint Number, string Name, string? Country) PickAs(Random random, (uint, string, string?)[] asns) =>
        asns[(int)(asns.Length * Math.Pow(random.NextDouble(), 2))]; // a few large networks hold many rows

    private static void AddIPv4Rows(RangeSources sources, Random random, (uint, string, string?)[] asns, int count)
    {
        long cursor = 1L << 24; // 1.0.0.0
        for (var i = 0; i < count && cursor < uint.MaxValue; i++)
        {
            var bits = Pick(random, IPv4RowSizes);
            var alignment = cursor == 0 ? 32 : long.TrailingZeroCount(cursor);
            var size = Math.Min(1L << Math.Min(bits, (int)alignment), (long)uint.MaxValue + 1 - cursor);
            var (number, name, country) = PickAs(random, asns);
            sources.Asn.Add(new AsnRow(IpKey.FromIPv4((uint)cursor), IpKey.FromIPv4((uint)(cursor + size - 1)), number, name, country));
            cursor += size;
            if (random.Next(11) == 0)
            {
                cursor += 256L << random.Next(4); // not routed
            }
        }
    }

    private static void AddIPv6Rows(RangeSources sources, Random random, (uint, string, string?)[] asns, int count)
    {
        // The high 64 bits of the registries' blocks (2001::/16, then 2400::/12 ... 2c00::/12, as log2 of their size):
        // allocations spread over each block, a few rows in each.
        (ulong Start, int SizeBits)[] blocks = [(0x2001_0000_0000_0000, 48), (0x2400_0000_0000_0000, 52), (0x2600_0000_0000_0000, 52), (0x2800_0000_0000_0000, 52), (0x2a00_0000_0000_0000, 52), (0x2c00_0000_0000_0000, 52)];
        var perBlock = (count + blocks.Length - 1) / blocks.Length;
        var added = 0;
        foreach (var (start, sizeBits) in blocks)
        {
            var cursor = start;
            var meanJump = (1UL << sizeBits) / (ulong)perBlock * 4; // a new allocation every fourth row on average
            for (var i = 0; i < perBlock && added < count; i++, added++)
            {
                var length = Pick(random, IPv6RowLengths);
                var size = 1UL << (64 - length);
                cursor = (cursor + size - 1) & ~(size - 1);
                var (number, name, country) = PickAs(random, asns);
                sources.Asn.Add(new AsnRow((UInt128)cursor << 64, (((UInt128)(cursor + size - 1)) << 64) | ulong.MaxValue, number, name, country));
                cursor += size;
                if (random.Next(4) == 0)
                {
                    cursor += (ulong)random.NextInt64((long)meanJump * 2); // not routed up to the next allocation
                }
            }
        }
    }

    private static void AddCloud(RangeSources sources, Random random, int count)
    {
        var services = Enumerable.Range(0, 400).Select(i => $"Service{i}").ToArray();
        var regions = Enumerable.Range(0, 60).Select(i => $"region{i}").ToArray();
        var aggregates = new List<IpPrefix>();
        var inner = new List<IpPrefix>();
        var seen = new HashSet<IpPrefix>();
        for (var added = 0; added < count;)
        {
            var ipv6 = random.Next(4) == 0;
            var roll = random.Next(100);
            IpPrefix prefix;
            if (roll < 28 || aggregates.Count == 0)
            {
                prefix = ipv6 ? RandomPrefix(random, Pick(random, IPv6Aggregates), ipv6) : RandomPrefix(random, Pick(random, IPv4Aggregates), ipv6);
                aggregates.Add(prefix);
            }
            else
            {
                var parents = roll < 30 && inner.Count > 0 ? inner : aggregates;
                var parent = parents[random.Next(parents.Count)];
                var length = Pick(random, parent.IsIPv4 ? IPv4Inner : IPv6Inner) + (parent.IsIPv4 ? 96 : 0);
                if (length <= parent.Length)
                {
                    continue;
                }

                prefix = Inside(random, parent, (byte)length);
                inner.Add(prefix);
            }

            if (!seen.Add(prefix))
            {
                continue;
            }

            var provider = Providers[random.Next(Providers.Length)];
            var listings = random.Next(100) switch { < 36 => 1, < 93 => 2, _ => 3 };
            for (var i = 0; i < listings && added < count; i++, added++)
            {
                sources.Cloud.Add(new CloudEntry(prefix, new CloudRange(provider, services[random.Next(services.Length)], regions[random.Next(regions.Length)], prefix.ToString())));
            }
        }
    }

    private static void AddBlocklist(RangeSources sources, Random random, (uint Number, string, string?)[] asns, int prefixes, int asnEntries)
    {
        for (var i = 0; i < prefixes; i++)
        {
            // Half inside published cloud prefixes (abuse from rented machines), half anywhere.
            var prefix = i % 2 == 0
                ? Inside(random, sources.Cloud[random.Next(sources.Cloud.Count)].Prefix, 0)
                : RandomPrefix(random, random.Next(16, 33), ipv6: false);
            var expires = i % 5 == 0 ? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(-300, 300)) : (DateTimeOffset?)null;
            sources.Blocklist.Add(new BlocklistEntry(prefix.ToString(), null, $"abuse report {i}", expires));
        }

        for (var i = 0; i < asnEntries; i++)
        {
            sources.Blocklist.Add(new BlocklistEntry(null, asns[random.Next(asns.Length)].Number, $"bulletproof hosting {i}"));
        }
    }

    /// <summary>A random prefix of the IPv4 /n or IPv6 /n given, IPv6 inside 2000::/4.</summary>
    private static IpPrefix RandomPrefix(Random random, int length, bool ipv6)
    {
        if (!ipv6)
        {
            var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
            return new IpPrefix(IpKey.FromIPv4((uint)random.NextInt64(1L << 24, 1L << 32) & mask), (byte)(96 + length));
        }

        var high = 0x2000_0000_0000_0000UL | ((ulong)random.NextInt64() & 0x0FFF_FFFF_FFFF_FFFF);
        var start = ((UInt128)high << 64 | (ulong)random.NextInt64()) & (UInt128.MaxValue << (128 - length));
        return new IpPrefix(start, (byte)length);
    }

    /// <summary>A prefix inside <paramref name="parent"/>: of the length given, or of a random longer one when 0.</summary>
    private static IpPrefix Inside(Random random, IpPrefix parent, byte length)
    {
        if (length == 0)
        {
            length = (byte)random.Next(parent.Length, 129);
        }

        var offset = RandomBelow(random, parent.End - parent.Start + 1);
        var mask = length >= 128 ? UInt128.MaxValue : UInt128.MaxValue << (128 - length);
        return new IpPrefix((parent.Start + offset) & mask, length);
    }

    private static UInt128 RandomBelow(Random random, UInt128 bound)
    {
        var value = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64() | ((UInt128)(random.Next(2)) << 127) | ((UInt128)(random.Next(2)) << 63);
        return bound == 0 ? value : value % bound; // bound 0: the whole key space
    }

    private static int Pick(Random random, (int Value, int Weight)[] weighted)
    {
        var roll = random.Next(weighted.Sum(item => item.Weight));
        foreach (var (value, weight) in weighted)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return weighted[^1].Value;
    }
}
