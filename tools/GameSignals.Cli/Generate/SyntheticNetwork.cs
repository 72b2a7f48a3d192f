namespace GameSignals.Cli.Generate;

/// <summary>
/// The generator's address plan, inside documentation and benchmark ranges only (RFC 5737
/// TEST-NETs, RFC 2544 198.18.0.0/15, RFC 3849 2001:db8::/32): ordinary ISPs per country, the three
/// clouds, a blocked CIDR, a blocked ASN, a device farm, an internet café and a network no source knows.
/// The config files and the events are written from the same plan, so they agree, and each address
/// carries the facts of the plan that decide its fraud flags (<see cref="PlannedAddress"/>).
/// </summary>
internal static class SyntheticNetwork
{
    public static readonly string[] Countries = ["KR", "JP", "US"];

    /// <summary>The device farm's address: many emulated devices behind it.</summary>
    public static readonly PlannedAddress Farm = new("198.51.100.77", "198.51.100.77", "KR");

    /// <summary>An internet café's address: a fixed set of terminals, as many as the device-farm threshold allows.</summary>
    public static readonly PlannedAddress InternetCafe = new("198.51.100.88", "198.51.100.88", "KR");

    /// <summary>An address of an ordinary ISP of the country (KR 198.19.0.0/18, JP .64.0/18, US .128.0/18).</summary>
    public static PlannedAddress IspIp(SplitMix64 random, string country)
    {
        ArgumentNullException.ThrowIfNull(random);
        var isp = Array.IndexOf(Countries, country);
        return V4(Invariant($"198.19.{(isp * 64) + random.Next(64)}.{random.Next(1, 255)}"), country);
    }

    /// <summary>An IPv6 address of the Korean ISP (2001:db8:100::/40).</summary>
    public static PlannedAddress IspIpv6(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return V6(Invariant($"2001:db8:1{random.Next(256):x2}:{random.Next(65536):x}"), Invariant($"{random.Next(1, 65536):x}"), "KR");
    }

    /// <summary>
    /// An address in AWS, GCP or Azure: IPv4 (198.18.0.0/20, .32.0/20, .64.0/20, which ip2asn places in the US)
    /// or, one time in four, IPv6 (2001:db8:aaaa::/48, bbbb, cccc, which ip2asn does not know).
    /// </summary>
    public static PlannedAddress CloudIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var provider = random.Next(3);
        if (random.Next(4) == 0)
        {
            string[] networks = ["2001:db8:aaaa", "2001:db8:bbbb", "2001:db8:cccc"];
            return V6(Invariant($"{networks[provider]}:{random.Next(65536):x}"), Invariant($"{random.Next(1, 65536):x}"), country: null) with { Cloud = true };
        }

        return V4(Invariant($"198.18.{(provider * 32) + random.Next(16)}.{random.Next(1, 255)}"), "US") with { Cloud = true };
    }

    /// <summary>An address in the blocklist's CIDR 192.0.2.0/24 (a small Korean ISP in ip2asn).</summary>
    public static PlannedAddress BlockedCidrIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return V4(Invariant($"192.0.2.{random.Next(1, 255)}"), "KR") with { BlockedRange = true };
    }

    /// <summary>An address of the blocklisted AS 64512 (203.0.113.0/24, in the Netherlands).</summary>
    public static PlannedAddress BlockedAsnIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return V4(Invariant($"203.0.113.{random.Next(1, 255)}"), "NL") with { BlockedAsn = true };
    }

    /// <summary>An address in 198.18.160.0/20, which no source lists: ip2asn knows no country for it.</summary>
    public static PlannedAddress UnmappedIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return V4(Invariant($"198.18.{160 + random.Next(16)}.{random.Next(1, 255)}"), country: null);
    }

    private static PlannedAddress V4(string ip, string? country) => new(ip, ip, country);

    /// <summary>An IPv6 address in the /64 <paramref name="network"/> (four groups), bucketed by that network.</summary>
    private static PlannedAddress V6(string network, string host, string? country) => new($"{network}::{host}", network + "::/64", country);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    public const string Ip2Asn =
        "10.0.0.0\t10.255.255.255\t0\tNone\tNot routed\n" +
        "192.0.2.0\t192.0.2.255\t64700\tKR\tSMALL-KR-ISP\n" +
        "198.18.0.0\t198.18.15.255\t16509\tUS\tAMAZON-02\n" +
        "198.18.32.0\t198.18.47.255\t15169\tUS\tGOOGLE\n" +
        "198.18.64.0\t198.18.79.255\t8075\tUS\tMICROSOFT-CORP-MSN-AS-BLOCK\n" +
        "198.19.0.0\t198.19.63.255\t64600\tKR\tISP-KR\n" +
        "198.19.64.0\t198.19.127.255\t64601\tJP\tISP-JP\n" +
        "198.19.128.0\t198.19.191.255\t64602\tUS\tISP-US\n" +
        "198.51.100.0\t198.51.100.255\t64610\tKR\tISP-KR-FARM\n" +
        "203.0.113.0\t203.0.113.255\t64512\tNL\tBULLETPROOF-HOSTING\n" +
        "2001:db8:100::\t2001:db8:1ff:ffff:ffff:ffff:ffff:ffff\t64800\tKR\tISP-KR-V6\n";

    public const string Aws = """
        {"syncToken":"1762000000","createDate":"2026-11-01-00-00-00",
         "prefixes":[{"ip_prefix":"198.18.0.0/20","region":"ap-northeast-2","service":"AMAZON","network_border_group":"ap-northeast-2"},
                     {"ip_prefix":"198.18.0.0/22","region":"ap-northeast-2","service":"EC2","network_border_group":"ap-northeast-2"}],
         "ipv6_prefixes":[{"ipv6_prefix":"2001:db8:aaaa::/48","region":"us-east-1","service":"AMAZON","network_border_group":"us-east-1"}]}
        """;

    public const string Gcp = """
        {"syncToken":"1762000000","creationTime":"2026-11-01T00:00:00.000",
         "prefixes":[{"ipv4Prefix":"198.18.32.0/20","service":"Google Cloud","scope":"asia-northeast3"},
                     {"ipv6Prefix":"2001:db8:bbbb::/48","service":"Google Cloud","scope":"us-central1"}]}
        """;

    public const string Azure = """
        {"changeNumber":1,"cloud":"Public","values":[
          {"name":"AzureCloud.koreacentral","id":"AzureCloud.koreacentral","properties":{"changeNumber":1,"region":"koreacentral","regionId":3,"platform":"Azure","systemService":"","addressPrefixes":["198.18.64.0/20","2001:db8:cccc::/48"],"networkFeatures":["API","NSG"]}}]}
        """;

    public const string Blocklist = """
        {"entries":[{"cidr":"192.0.2.0/24","reason":"chargeback ring"},{"asn":64512,"reason":"bulletproof hosting"}]}
        """;
}

/// <summary>
/// An address of the plan and what the plan's range files say about it: the country ip2asn gives it
/// (null where ip2asn has none), whether a cloud range or the blocklist contains it, and its device-farm
/// bucket (the address for IPv4, its /64 for IPv6, contract §4).
/// </summary>
internal sealed record PlannedAddress(string Ip, string Bucket, string? Country)
{
    public bool Cloud { get; init; }

    public bool BlockedRange { get; init; }

    public bool BlockedAsn { get; init; }
}
