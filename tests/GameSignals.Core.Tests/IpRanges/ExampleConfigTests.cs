using System.Net;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>The contract's example <c>ipranges/</c>, read the way replay reads a config directory.</summary>
public sealed class ExampleConfigTests
{
    private readonly (RangeTable Table, RangeParseReport Report) _loaded = RangeTableLoader.FromDirectory(RepositoryFiles.Examples);

    [Fact]
    public void The_example_config_loads_every_source_without_a_bad_row()
    {
        var report = _loaded.Report;

        Assert.Empty(report.Issues);
        Assert.Equal(6, report.AcceptedRows("aws-ip-ranges.json"));
        Assert.Equal(2, report.AcceptedRows("gcp-cloud.json"));
        Assert.Equal(3, report.AcceptedRows("azure-service-tags.json"));
        Assert.Equal(15, report.AcceptedRows("ip2asn.tsv"));
        Assert.Equal(2, report.AcceptedRows("blocklist.json"));
    }

    [Fact]
    public void Example_addresses_resolve_to_their_provider_asn_and_country()
    {
        var table = _loaded.Table;
        var cloud = new List<CloudRange>();

        table.GetCloudRanges(IPAddress.Parse("198.18.5.1"), cloud);
        Assert.Equal(
            [new CloudRange("aws", "AMAZON", "ap-northeast-2", "198.18.0.0/20"), new CloudRange("aws", "EC2", "ap-northeast-2", "198.18.4.0/22")],
            cloud.OrderBy(range => range.Service, StringComparer.Ordinal));
        cloud.Clear();
        table.GetCloudRanges(IPAddress.Parse("198.18.70.1"), cloud);
        Assert.Equal(["AzureCloud", "AzureCloud.koreacentral"], cloud.Select(range => range.Service).Order(StringComparer.Ordinal));
        cloud.Clear();
        table.GetCloudRanges(IPAddress.Parse("2001:db8:cccc::5"), cloud);
        Assert.Equal([new CloudRange("azure", "AzureCloud.koreacentral", "koreacentral", "2001:db8:cccc::/48")], cloud);

        Assert.True(table.TryGetAsn(IPAddress.Parse("198.18.40.1"), out var google));
        Assert.Equal((15169u, "GOOGLE", "US"), (google.Number, google.Name, google.Country));
        Assert.True(table.TryGetAsn(IPAddress.Parse("2001:db8:1ff::1"), out var v6));
        Assert.Equal((64800u, "KR"), (v6.Number, v6.Country));
        Assert.False(table.TryGetAsn(IPAddress.Parse("10.1.2.3"), out _)); // AS 0: not routed
    }
}
