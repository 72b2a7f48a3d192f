namespace GameSignals.Cli.Generate;

/// <summary>
/// The generator's address plan, inside documentation and benchmark ranges only (RFC 5737
/// TEST-NETs, RFC 2544 198.18.0.0/15, RFC 3849 2001:db8::/32): ordinary ISPs per country, the three
/// clouds, a blocked CIDR, a blocked ASN and a device-farm address. The config files and the events
/// are written from the same plan, so they agree.
/// </summary>
internal static class SyntheticNetwork
{
    public static readonly string[] Countries = ["KR", "JP", "US"];

    public const string FarmIp = "198.51.100.77";

    /// <summary>An address of an ordinary ISP of the country (KR 198.19.0.0/18, JP .64.0/18, US .128.0/18).</summary>
    public static string IspIp(SplitMix64 random, string country)
    {
        ArgumentNullException.ThrowIfNull(random);
        var isp = Array.IndexOf(Countries, country);
        return Invariant($"198.19.{(isp * 64) + random.Next(64)}.{random.Next(1, 255)}");
    }

    /// <summary>An IPv6 address of the Korean ISP (2001:db8:100::/40).</summary>
    public static string IspIpv6(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Invariant($"2001:db8:1{random.Next(256):x2}:{random.Next(65536):x}::{random.Next(1, 65536):x}");
    }

    /// <summary>An address in AWS, GCP or Azure (198.18.0.0/20, .32.0/20, .64.0/20).</summary>
    public static string CloudIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Invariant($"198.18.{(random.Next(3) * 32) + random.Next(16)}.{random.Next(1, 255)}");
    }

    /// <summary>An address in the blocklist's CIDR 192.0.2.0/24.</summary>
    public static string BlockedCidrIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Invariant($"192.0.2.{random.Next(1, 255)}");
    }

    /// <summary>An address of the blocklisted AS 64512 (203.0.113.0/24).</summary>
    public static string BlockedAsnIp(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Invariant($"203.0.113.{random.Next(1, 255)}");
    }

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
