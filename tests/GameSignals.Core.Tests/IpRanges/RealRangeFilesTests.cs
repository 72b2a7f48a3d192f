using System.Net;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>The providers' real publications in shared/data/ipranges-real, parsed as published.</summary>
[Collection(RealRangesGroup.Name)]
public sealed class RealRangeFilesTests(RealRangesFixture real)
{
    [Fact]
    public void Every_published_row_of_every_real_file_is_accepted_and_none_is_bad()
    {
        var report = real.Report;
        Assert.Empty(report.Issues);
        Assert.Equal(8971 + 4373, report.AcceptedRows("aws-ip-ranges.json"));
        Assert.Equal(782, report.AcceptedRows("gcp-cloud.json"));
        Assert.Equal(90493, report.AcceptedRows("azure-service-tags.json"));
        Assert.Equal(1427, report.AcceptedRows("ip2asn-v4-sample.tsv"));
        Assert.Equal(8971 + 4373 + 782 + 90493, real.Table.CloudEntryCount);
        Assert.Equal(8971 + 4373, real.Table.CountCloudEntries("aws"));
        Assert.Equal(90493, real.Table.CountCloudEntries("azure"));
    }

    [Fact]
    public void An_address_in_nested_aws_prefixes_reports_every_one_of_them()
    {
        var matches = Cloud("3.0.5.33");

        Assert.Equal(
            ["aws 3.0.0.0/15 AMAZON ap-southeast-1", "aws 3.0.0.0/15 EC2 ap-southeast-1", "aws 3.0.5.32/29 EC2_INSTANCE_CONNECT ap-southeast-1"],
            matches);
    }

    [Fact]
    public void An_aws_prefix_listed_for_several_services_reports_each_service()
    {
        Assert.Equal(
            ["aws 3.5.140.0/22 AMAZON ap-northeast-2", "aws 3.5.140.0/22 EC2 ap-northeast-2", "aws 3.5.140.0/22 S3 ap-northeast-2"],
            Cloud("3.5.140.200"));
    }

    [Fact]
    public void An_azure_address_is_in_its_regional_tag_and_in_the_global_tag()
    {
        var matches = Cloud("20.41.64.1");

        Assert.Contains("azure 20.41.64.0/18 AzureCloud.koreacentral koreacentral", matches);
        Assert.Contains(matches, match => match.StartsWith("azure ", StringComparison.Ordinal) && match.Contains(" AzureCloud ", StringComparison.Ordinal));
    }

    [Fact]
    public void IPv6_addresses_find_aws_and_gcp_ranges()
    {
        Assert.Equal(["aws 2406:da12::/36 AMAZON ap-northeast-2", "aws 2406:da12::/36 EC2 ap-northeast-2"], Cloud("2406:da12::1"));
        Assert.Equal(["gcp 2600:1900:8000::/44 Google Cloud africa-south1"], Cloud("2600:1900:8000::1"));
    }

    [Fact]
    public void A_gcp_address_resolves_to_its_scope()
    {
        Assert.Equal(["gcp 34.80.0.0/15 Google Cloud asia-east1"], Cloud("34.80.10.10"));
    }

    [Fact]
    public void An_IPv4_mapped_IPv6_address_finds_the_IPv4_ranges_and_asn()
    {
        Assert.Equal(Cloud("3.0.5.33"), Cloud("::ffff:3.0.5.33"));
        Assert.True(real.Table.TryGetAsn(IPAddress.Parse("::ffff:8.8.8.8"), out var asn));
        Assert.Equal(15169u, asn.Number);
    }

    [Fact]
    public void Single_address_ip2asn_rows_win_over_their_neighbours()
    {
        Assert.True(real.Table.TryGetAsn(IPAddress.Parse("1.1.1.1"), out var single));
        Assert.Equal(new AsnInfo(7497, "CSTNET-AS-AP Computer Network Information Center", "CN", "1.1.1.1", "1.1.1.1"), single);
        Assert.True(real.Table.TryGetAsn(IPAddress.Parse("1.1.1.0"), out var before));
        Assert.Equal(13335u, before.Number);
        Assert.True(real.Table.TryGetAsn(IPAddress.Parse("1.1.1.2"), out var after));
        Assert.Equal(new AsnInfo(13335, "CLOUDFLARENET - Cloudflare, Inc.", "US", "1.1.1.2", "1.1.1.255"), after);
    }

    [Fact]
    public void An_address_outside_every_ip2asn_row_has_no_asn_and_no_cloud_range()
    {
        Assert.False(real.Table.TryGetAsn(IPAddress.Parse("1.1.2.0"), out _));
        Assert.Empty(Cloud("192.168.1.1"));
    }

    private List<string> Cloud(string address)
    {
        var matches = new List<CloudRange>();
        real.Table.GetCloudRanges(IPAddress.Parse(address), matches);
        return [.. matches.Select(m => $"{m.Provider} {m.Prefix} {m.Service} {m.Region}").Order(StringComparer.Ordinal)];
    }
}

/// <summary>The real files loaded once for all test classes that read them.</summary>
public sealed class RealRangesFixture
{
    public RealRangesFixture()
    {
        (Table, Report) = RangeTableLoader.FromDirectory(RepositoryFiles.RealIpRanges);
        Sources = Table.ToSources();
    }

    public RangeTable Table { get; }

    public RangeParseReport Report { get; }

    public RangeSources Sources { get; }
}

[CollectionDefinition(Name)]
public sealed class RealRangesGroup : ICollectionFixture<RealRangesFixture>
{
    public const string Name = "Real IP ranges";
}
