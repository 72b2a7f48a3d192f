using System.Net;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>
/// tests/data/ipranges-formats: small files of ours in the providers' published formats, with what the real ones
/// have (nested prefixes, one prefix for several services, regional tags inside global ones, IPv6, single-address
/// ip2asn rows, a gzip file). Every expected value below is read off those files by hand.
/// </summary>
[Collection(RangeFormatsGroup.Name)]
public sealed class RangeFormatFilesTests(RangeFormatsFixture formats)
{
    [Fact]
    public void Every_row_of_every_format_is_accepted_and_none_is_bad()
    {
        var report = formats.Report;
        Assert.Empty(report.Issues);
        Assert.Equal(7 + 3, report.AcceptedRows("aws-ip-ranges.json"));
        Assert.Equal(2 + 2, report.AcceptedRows("gcp-cloud.json"));
        Assert.Equal(4 + 3, report.AcceptedRows("azure-service-tags.json"));
        Assert.Equal(6, report.AcceptedRows("ip2asn-v4.tsv.gz"));
        Assert.Equal(2, report.AcceptedRows("ip2asn-v6.tsv"));
        Assert.Equal(10 + 4 + 7, formats.Table.CloudEntryCount);
        Assert.Equal(10, formats.Table.CountCloudEntries("aws"));
        Assert.Equal(7, formats.Table.CountCloudEntries("azure"));
        Assert.Equal(6 + 2, formats.Table.AsnRowCount);
    }

    [Fact]
    public void An_address_in_nested_aws_prefixes_reports_every_one_of_them()
    {
        Assert.Equal(
            ["aws 198.18.0.0/15 AMAZON us-east-1", "aws 198.18.0.0/15 EC2 us-east-1", "aws 198.18.5.32/29 EC2_INSTANCE_CONNECT us-east-1"],
            Cloud("198.18.5.33"));
        Assert.Equal(["aws 198.18.0.0/15 AMAZON us-east-1", "aws 198.18.0.0/15 EC2 us-east-1"], Cloud("198.18.5.40"));
    }

    [Fact]
    public void An_aws_prefix_listed_for_several_services_reports_each_service_and_a_single_address_prefix_adds_itself()
    {
        Assert.Equal(["aws 192.0.2.0/24 AMAZON eu-west-1", "aws 192.0.2.0/24 EC2 eu-west-1", "aws 192.0.2.0/24 S3 eu-west-1"], Cloud("192.0.2.200"));
        Assert.Equal(
            ["aws 192.0.2.0/24 AMAZON eu-west-1", "aws 192.0.2.0/24 EC2 eu-west-1", "aws 192.0.2.0/24 S3 eu-west-1", "aws 192.0.2.4/32 AMAZON eu-west-1"],
            Cloud("192.0.2.4"));
    }

    [Fact]
    public void Prefixes_of_two_providers_that_overlap_are_both_reported()
    {
        Assert.Equal(
            ["aws 192.0.2.0/24 AMAZON eu-west-1", "aws 192.0.2.0/24 EC2 eu-west-1", "aws 192.0.2.0/24 S3 eu-west-1", "azure 192.0.2.16/30 ActionGroup "],
            Cloud("192.0.2.17"));
    }

    [Fact]
    public void An_azure_address_is_in_its_regional_tags_and_in_the_global_tag()
    {
        Assert.Equal(
            [
                "azure 198.51.100.0/24 AzureCloud ",
                "azure 198.51.100.0/25 AzureCloud.koreacentral koreacentral",
                "azure 198.51.100.64/26 Storage.KoreaCentral koreacentral",
            ],
            Cloud("198.51.100.70"));
        Assert.Equal(["azure 198.51.100.0/24 AzureCloud "], Cloud("198.51.100.200"));
    }

    [Fact]
    public void IPv6_addresses_find_aws_azure_and_gcp_ranges()
    {
        Assert.Equal(
            ["aws 2001:db8:1000::/36 AMAZON ap-northeast-2", "aws 2001:db8:1000::/36 EC2 ap-northeast-2", "aws 2001:db8:1000:ab00::/56 ROUTE53_HEALTHCHECKS ap-northeast-2"],
            Cloud("2001:db8:1000:ab00::1"));
        Assert.Equal(["azure 2001:db8:c000::/36 AzureCloud ", "azure 2001:db8:c100::/48 AzureCloud.koreacentral koreacentral"], Cloud("2001:db8:c100::5"));
        Assert.Equal(["gcp 2001:db8:8000::/44 Google Cloud africa-south1"], Cloud("2001:db8:8000::1"));
    }

    [Fact]
    public void A_gcp_address_resolves_to_its_scope()
    {
        Assert.Equal(["gcp 203.0.113.0/25 Google Cloud asia-east1"], Cloud("203.0.113.10"));
        Assert.Equal(["gcp 203.0.113.128/25 Google Cloud us-west8"], Cloud("203.0.113.130"));
    }

    [Fact]
    public void An_IPv4_mapped_IPv6_address_finds_the_IPv4_ranges_and_asn()
    {
        Assert.Equal(Cloud("198.18.5.33"), Cloud("::ffff:198.18.5.33"));
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("::ffff:198.18.5.33"), out var asn));
        Assert.Equal(64499u, asn.Number);
    }

    [Fact]
    public void Single_address_ip2asn_rows_of_the_gzip_file_win_over_their_neighbours()
    {
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("192.0.2.1"), out var single));
        Assert.Equal(new AsnInfo(64497, "EXAMPLE-TWO Single Address", "JP", "192.0.2.1", "192.0.2.1"), single);
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("192.0.2.0"), out var before));
        Assert.Equal(new AsnInfo(64496, "EXAMPLE-ONE - Example One", "US", "192.0.2.0", "192.0.2.0"), before);
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("192.0.2.2"), out var after));
        Assert.Equal(new AsnInfo(64496, "EXAMPLE-ONE - Example One", "US", "192.0.2.2", "192.0.2.255"), after);
    }

    [Fact]
    public void Not_routed_rows_give_no_asn_and_unknown_countries_give_no_country()
    {
        Assert.False(formats.Table.TryGetAsn(IPAddress.Parse("198.51.100.9"), out _));
        Assert.True(formats.Table.TryGetAsnRow(IpKey.From(IPAddress.Parse("198.51.100.9")), out var notRouted));
        Assert.Equal(0u, notRouted.Number);
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("203.0.113.9"), out var unknown));
        Assert.Equal(new AsnInfo(64500, "EXAMPLE-UNKNOWN", null, "203.0.113.0", "203.0.113.255"), unknown);
    }

    [Fact]
    public void IPv6_ip2asn_rows_of_a_second_file_are_found_beside_the_IPv4_ones()
    {
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("2001:db8:1000:ab00::1"), out var cloud));
        Assert.Equal(new AsnInfo(64499, "EXAMPLE-CLOUD - Example Cloud", "US", "2001:db8:1000::", "2001:db8:1fff:ffff:ffff:ffff:ffff:ffff"), cloud);
        Assert.True(formats.Table.TryGetAsn(IPAddress.Parse("2001:db8::1"), out var other));
        Assert.Equal(64501u, other.Number);
    }

    [Fact]
    public void An_address_outside_every_row_has_no_asn_and_no_cloud_range()
    {
        Assert.False(formats.Table.TryGetAsn(IPAddress.Parse("192.0.3.0"), out _));
        Assert.False(formats.Table.TryGetAsn(IPAddress.Parse("2001:db8:2000::"), out _));
        Assert.Empty(Cloud("192.168.1.1"));
        Assert.Empty(Cloud("2001:db8:2000::1"));
    }

    private List<string> Cloud(string address)
    {
        var matches = new List<CloudRange>();
        formats.Table.GetCloudRanges(IPAddress.Parse(address), matches);
        return [.. matches.Select(m => $"{m.Provider} {m.Prefix} {m.Service} {m.Region}").Order(StringComparer.Ordinal)];
    }
}

/// <summary>tests/data/ipranges-formats loaded once for all test classes that read it.</summary>
public sealed class RangeFormatsFixture
{
    public RangeFormatsFixture()
    {
        (Table, Report) = RangeTableLoader.FromDirectory(RepositoryFiles.RangeFormats);
        Sources = Table.ToSources();
    }

    public RangeTable Table { get; }

    public RangeParseReport Report { get; }

    public RangeSources Sources { get; }
}

[CollectionDefinition(Name)]
public sealed class RangeFormatsGroup : ICollectionFixture<RangeFormatsFixture>
{
    public const string Name = "IP range formats";
}
