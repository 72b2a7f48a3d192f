using System.Net;
using System.Numerics;
using System.Text.Json;
using GameSignals.IpRanges;

namespace GameSignals.Tests.Fraud;

/// <summary>
/// TEST-ONLY STAND-IN for the real range table, which the IP ranges capability is writing on another branch:
/// reads the example's <c>ipranges/</c> files naively and scans them linearly. Replace it with the real table
/// once that is merged; it is not a parser for production formats.
/// </summary>
internal sealed class NaiveIpIntelligence : IIpIntelligence
{
    private readonly List<(IPNetwork Network, CloudRange Range)> _cloud = [];
    private readonly List<(IPAddress Start, IPAddress End, AsnInfo Info)> _asns = [];
    private readonly List<BlocklistEntry> _blocklist = [];

    public static NaiveIpIntelligence Example { get; } = Load(Path.Combine(SharedFiles.Examples, "ipranges"));

    public static NaiveIpIntelligence Load(string directory)
    {
        var ip = new NaiveIpIntelligence();
        using var aws = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "aws-ip-ranges.json")));
        foreach (var (array, field) in new[] { ("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix") })
        {
            foreach (var p in aws.RootElement.GetProperty(array).EnumerateArray())
            {
                ip.AddCloud("aws", p.GetProperty(field).GetString()!, p.GetProperty("service").GetString()!, p.GetProperty("region").GetString()!);
            }
        }

        using var gcp = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "gcp-cloud.json")));
        foreach (var p in gcp.RootElement.GetProperty("prefixes").EnumerateArray())
        {
            var prefix = p.TryGetProperty("ipv4Prefix", out var v4) ? v4.GetString()! : p.GetProperty("ipv6Prefix").GetString()!;
            ip.AddCloud("gcp", prefix, p.GetProperty("service").GetString()!, p.GetProperty("scope").GetString()!);
        }

        using var azure = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "azure-service-tags.json")));
        foreach (var v in azure.RootElement.GetProperty("values").EnumerateArray())
        {
            foreach (var prefix in v.GetProperty("properties").GetProperty("addressPrefixes").EnumerateArray())
            {
                ip.AddCloud("azure", prefix.GetString()!, v.GetProperty("name").GetString()!, v.GetProperty("properties").GetProperty("region").GetString()!);
            }
        }

        foreach (var line in File.ReadLines(Path.Combine(directory, "ip2asn.tsv")))
        {
            var f = line.Split('\t');
            var info = new AsnInfo(uint.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[4], f[3] == "None" ? null : f[3], f[0], f[1]);
            ip._asns.Add((IPAddress.Parse(f[0]), IPAddress.Parse(f[1]), info));
        }

        using var blocklist = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "blocklist.json")));
        foreach (var e in blocklist.RootElement.GetProperty("entries").EnumerateArray())
        {
            var reason = e.GetProperty("reason").GetString()!;
            ip._blocklist.Add(e.TryGetProperty("cidr", out var cidr)
                ? new BlocklistEntry(cidr.GetString(), null, reason)
                : new BlocklistEntry(null, e.GetProperty("asn").GetUInt32(), reason));
        }

        return ip;
    }

    public bool TryGetAsn(IPAddress address, out AsnInfo asn)
    {
        var value = ToNumber(address);
        foreach (var (start, end, info) in _asns)
        {
            if (start.AddressFamily == address.AddressFamily && ToNumber(start) <= value && value <= ToNumber(end) && info.Number != 0)
            {
                asn = info;
                return true;
            }
        }

        asn = null!;
        return false;
    }

    public void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches)
    {
        foreach (var (network, range) in _cloud.Where(c => c.Network.Contains(address)))
        {
            matches.Add(range);
        }
    }

    public void GetBlocklistMatches(IPAddress address, ICollection<BlocklistEntry> matches)
    {
        var asn = TryGetAsn(address, out var info) ? info.Number : (uint?)null;
        foreach (var entry in _blocklist.Where(e => e.Cidr is { } cidr ? IPNetwork.Parse(cidr).Contains(address) : e.Asn == asn))
        {
            matches.Add(entry);
        }
    }

    private void AddCloud(string provider, string prefix, string service, string region) =>
        _cloud.Add((IPNetwork.Parse(prefix), new CloudRange(provider, service, region, prefix)));

    private static BigInteger ToNumber(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
}
