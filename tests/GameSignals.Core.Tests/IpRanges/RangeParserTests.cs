using System.IO.Compression;
using System.Net;
using System.Text;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>
/// Bad rows are reported with their file, line and reason and the rest of the file still loads; a file that cannot be
/// read as a whole fails that source only. tests/data/ipranges-malformed has the kinds of bad rows downloads have;
/// the other cases are written to a temp directory.
/// </summary>
public sealed class RangeParserTests : IDisposable
{
    private static readonly (RangeTable Table, RangeParseReport Report) Malformed = RangeTableLoader.FromDirectory(RepositoryFiles.MalformedRanges);
    private readonly string _dir = Directory.CreateTempSubdirectory("ipranges-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bad_aws_entries_are_reported_at_the_line_of_their_object_and_the_good_ones_load()
    {
        Assert.Equal(
            [
                new RangeParseIssue("aws-ip-ranges.json", 11, "'192.0.2.400/32' is not a CIDR prefix"),
                new RangeParseIssue("aws-ip-ranges.json", 17, "'198.51.100.7/24' is not a CIDR prefix"), // host bits set
                new RangeParseIssue("aws-ip-ranges.json", 23, "entry has no prefix"), // a number, not a string
                new RangeParseIssue("aws-ip-ranges.json", 29, "entry is not an object"),
                new RangeParseIssue("aws-ip-ranges.json", 38, "entry has no prefix"), // "ipv6_prefx"
            ],
            Issues("aws-ip-ranges.json"));
        Assert.Equal(3, Malformed.Report.AcceptedRows("aws-ip-ranges.json"));
        Assert.Equal(
            ["aws 192.0.2.0/24 AMAZON eu-west-1", "aws 2001:db8:1000::/36 AMAZON us-east-1", "aws 203.0.113.0/24 S3 us-east-1"],
            Malformed.Table.ToSources().Cloud.Where(e => e.Range.Provider == "aws").Select(e => $"aws {e.Prefix} {e.Range.Service} {e.Range.Region}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bad_azure_prefixes_are_reported_at_their_own_line_and_a_tag_without_a_name_at_its_object()
    {
        Assert.Equal(
            [
                new RangeParseIssue("azure-service-tags.json", 5, "service tag has no name"),
                new RangeParseIssue("azure-service-tags.json", 23, "'198.51.100.1/24' is not a CIDR prefix"),
                new RangeParseIssue("azure-service-tags.json", 24, "entry has no prefix"),
                new RangeParseIssue("azure-service-tags.json", 26, "'2001:db8:c000::/129' is not a CIDR prefix"),
            ],
            Issues("azure-service-tags.json"));
        Assert.Equal(2, Malformed.Report.AcceptedRows("azure-service-tags.json"));
        var found = new List<CloudRange>();
        Malformed.Table.GetCloudRanges(IPAddress.Parse("2001:db8:c000::1"), found);
        Assert.Equal("2001:db8:c000::/36", Assert.Single(found).Prefix);
    }

    [Fact]
    public void A_truncated_document_fails_its_source_only()
    {
        Assert.Contains("gcp-cloud.json", Malformed.Report.FailedSources);
        var issue = Assert.Single(Issues("gcp-cloud.json"));
        Assert.Equal(9, issue.Line); // the last line, where the text stops
        Assert.StartsWith("not a readable JSON document", issue.Message, StringComparison.Ordinal);
        Assert.Equal(0, Malformed.Report.AcceptedRows("gcp-cloud.json"));
        Assert.Equal(0, Malformed.Table.CountCloudEntries("gcp"));
        Assert.Equal(3, Malformed.Table.CountCloudEntries("aws"));
    }

    [Fact]
    public void Bad_ip2asn_rows_are_reported_by_line_and_a_tab_in_the_description_stays_in_it()
    {
        Assert.Equal(
            [
                new RangeParseIssue("ip2asn-v4.tsv", 2, "AS_number 'AS64497' is not a number"),
                new RangeParseIssue("ip2asn-v4.tsv", 3, "expected 5 tab-separated fields, found 3"),
                new RangeParseIssue("ip2asn-v4.tsv", 4, "range_start is after range_end or of another address family"),
                new RangeParseIssue("ip2asn-v4.tsv", 5, "range_start is after range_end or of another address family"),
                new RangeParseIssue("ip2asn-v4.tsv", 7, "range_start or range_end is not an IP address"),
            ],
            Issues("ip2asn-v4.tsv"));
        Assert.Equal(2, Malformed.Report.AcceptedRows("ip2asn-v4.tsv"));
        Assert.False(Malformed.Table.TryGetAsn(IPAddress.Parse("198.51.100.1"), out _));
        Assert.True(Malformed.Table.TryGetAsn(IPAddress.Parse("198.19.1.1"), out var tab));
        Assert.Equal("EXAMPLE-TAB\tIN DESCRIPTION", tab.Name);
    }

    [Fact]
    public void A_file_with_gzip_magic_bytes_that_does_not_inflate_fails_its_source_only()
    {
        Assert.Contains("ip2asn-v6.tsv.gz", Malformed.Report.FailedSources);
        Assert.StartsWith("not a readable gzip stream", Assert.Single(Issues("ip2asn-v6.tsv.gz")).Message, StringComparison.Ordinal);
        Assert.Equal(2, Malformed.Table.AsnRowCount);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void A_gzip_file_cut_short_fails_its_source_instead_of_loading_the_rows_before_the_cut(double kept)
    {
        var rows = string.Concat(Enumerable.Range(0, 2000).Select(i => $"10.{i / 256}.{i % 256}.0\t10.{i / 256}.{i % 256}.255\t{64496 + (i % 16)}\tUS\tEXAMPLE-{i}\n"));
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(rows));
        }

        File.WriteAllBytes(Path.Combine(_dir, "ip2asn-v4.tsv.gz"), compressed.ToArray()[..(int)(compressed.Length * kept)]);

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Contains("ip2asn-v4.tsv.gz", report.FailedSources);
        Assert.Contains("cut short", Assert.Single(report.Issues).Message, StringComparison.Ordinal);
        Assert.Equal(0, table.AsnRowCount);
    }

    [Fact]
    public void Gzip_is_recognised_by_its_magic_bytes_not_by_the_file_name()
    {
        var rows = "192.0.2.0\t192.0.2.255\t64496\tUS\tEXAMPLE-ONE\n198.51.100.0\t198.51.100.255\t64497\tJP\tEXAMPLE-TWO\n"u8.ToArray();
        using (var gzip = new GZipStream(File.Create(Path.Combine(_dir, "ip2asn-combined.tsv")), CompressionLevel.Fastest))
        {
            gzip.Write(rows);
        }

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Empty(report.Issues);
        Assert.Equal(2, table.AsnRowCount);
        Assert.True(table.TryGetAsn(IPAddress.Parse("198.51.100.7"), out var asn));
        Assert.Equal(64497u, asn.Number);
    }

    [Fact]
    public void Ip2asn_not_routed_rows_and_unknown_countries_give_no_asn_and_no_country()
    {
        Write("ip2asn-v6.tsv",
        [
            "2001:db8::\t2001:db8::ffff\t0\tNone\tNot routed",
            "2001:db8:1::\t2001:db8:1::ffff\t64500\tUnknown\tSOME-AS",
            "2001:db8:2::\t2001:db8:2::\t64501\tNone\tONE-ADDRESS",
            "2001:db8:3::\t10.0.0.1\t64502\tKR\tMIXED",
        ]);

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.False(table.TryGetAsn(IPAddress.Parse("2001:db8::1"), out _));
        Assert.True(table.TryGetAsnRow(IpKey.From(IPAddress.Parse("2001:db8::1")), out var notRouted));
        Assert.Equal(0u, notRouted.Number);
        Assert.True(table.TryGetAsn(IPAddress.Parse("2001:db8:1::10"), out var unknown));
        Assert.Equal(new AsnInfo(64500, "SOME-AS", null, "2001:db8:1::", "2001:db8:1::ffff"), unknown);
        Assert.True(table.TryGetAsn(IPAddress.Parse("2001:db8:2::"), out var single));
        Assert.Null(single.Country);
        Assert.False(table.TryGetAsn(IPAddress.Parse("2001:db8:2::1"), out _));
        Assert.Equal(4, Assert.Single(report.Issues).Line);
    }

    [Fact]
    public void Blocklist_rows_are_validated_one_by_one_with_the_field_named()
    {
        Write("blocklist.json",
        [
            """{ "entries": [""",
            """  { "cidr": "203.0.113.0/24", "reason": "fraud ring", "expires": "2030-01-01T00:00:00Z", "addedBy": "ops" },""",
            """  { "asn": 64500, "reason": "bulletproof hosting" },""",
            """  { "cidr": "203.0.113.7/24", "reason": "host bits" },""",
            """  { "cidr": "198.51.100.0/24", "asn": 64501, "reason": "both" },""",
            """  { "asn": 64502 },""",
            """  { "cidr": "::ffff:198.51.100.0/120", "reason": "mapped" }""",
            "] }",
        ]);

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Equal([4, 5, 6], report.Issues.Select(issue => issue.Line));
        Assert.StartsWith("cidr:", report.Issues[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("cidr:", report.Issues[1].Message, StringComparison.Ordinal);
        Assert.StartsWith("reason:", report.Issues[2].Message, StringComparison.Ordinal);
        var entries = table.ToSources().Blocklist;
        Assert.Equal(3, entries.Count);
        Assert.Contains(new BlocklistEntry("198.51.100.0/24", null, "mapped"), entries);
        Assert.Contains(new BlocklistEntry("203.0.113.0/24", null, "fraud ring", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "ops"), entries);
    }

    [Fact]
    public void A_byte_order_mark_does_not_stop_a_json_source()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Examples, "ipranges", "gcp-cloud.json"));
        File.WriteAllText(Path.Combine(_dir, "gcp-cloud.json"), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Empty(report.Issues);
        Assert.Equal(2, table.CountCloudEntries("gcp"));
    }

    private static List<RangeParseIssue> Issues(string source) => [.. Malformed.Report.Issues.Where(issue => issue.Source == source)];

    private void Write(string name, IEnumerable<string> lines) => File.WriteAllText(Path.Combine(_dir, name), string.Join('\n', lines) + "\n");
}
