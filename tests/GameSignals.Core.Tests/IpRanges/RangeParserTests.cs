using System.IO.Compression;
using System.Net;
using System.Text;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

/// <summary>Corrupted copies of the real files, written to a temp directory: bad rows are reported with their line.</summary>
public sealed class RangeParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ipranges-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_bad_aws_prefix_is_reported_with_its_line_and_the_rest_of_the_file_still_loads()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.RealIpRanges, "aws-ip-ranges.json"));
        var first = Array.FindIndex(lines, line => line.Contains("\"ip_prefix\": \"3.4.12.4/32\"", StringComparison.Ordinal));
        var v6 = Array.FindIndex(lines, line => line.Contains("\"ipv6_prefix\"", StringComparison.Ordinal));
        lines[first] = lines[first].Replace("3.4.12.4/32", "3.4.12.400/32", StringComparison.Ordinal);
        lines[v6] = lines[v6].Replace("\"ipv6_prefix\"", "\"ipv6_prefx\"", StringComparison.Ordinal);
        Write("aws-ip-ranges.json", lines);

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Equal(
            [
                new RangeParseIssue("aws-ip-ranges.json", first, "'3.4.12.400/32' is not a CIDR prefix"),
                new RangeParseIssue("aws-ip-ranges.json", v6, "entry has no prefix"),
            ],
            report.Issues);
        Assert.Equal(8971 + 4373 - 2, report.AcceptedRows("aws-ip-ranges.json"));
        Assert.Equal(8971 + 4373 - 2, table.CloudEntryCount);
        Assert.Empty(report.FailedSources);
    }

    [Fact]
    public void A_bad_azure_prefix_is_reported_with_the_line_of_that_prefix()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.RealIpRanges, "azure-service-tags.json"));
        var target = Array.FindIndex(lines, line => line.Contains("\"13.66.143.220/30\"", StringComparison.Ordinal));
        lines[target] = lines[target].Replace("13.66.143.220/30", "13.66.143.221/30", StringComparison.Ordinal); // host bits set
        Write("azure-service-tags.json", lines);

        var (_, report) = RangeTableLoader.FromDirectory(_dir);

        var issue = Assert.Single(report.Issues);
        Assert.Equal(("azure-service-tags.json", target + 1), (issue.Source, issue.Line));
        Assert.Equal(90493 - 1, report.AcceptedRows("azure-service-tags.json"));
    }

    [Fact]
    public void Bad_ip2asn_rows_are_reported_by_line_and_gzip_is_recognised_by_its_magic_bytes()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryFiles.RealIpRanges, "ip2asn-v4-sample.tsv"));
        lines[2] = "1.1.1.2\t1.1.1.255\tAS13335\tUS\tCLOUDFLARENET"; // line 3: not a number
        lines[4] = "8.8.8.0\t8.8.8.255\t15169"; // line 5: too few fields
        lines[9] = "23.227.63.255\t23.227.63.0\t13335\tUS\tCLOUDFLARENET"; // line 10: start after end
        using (var gzip = new GZipStream(File.Create(Path.Combine(_dir, "ip2asn-combined.tsv.gz")), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        }

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Equal([3, 5, 10], report.Issues.Select(issue => issue.Line));
        Assert.All(report.Issues, issue => Assert.Equal("ip2asn-combined.tsv.gz", issue.Source));
        Assert.Equal(1427 - 3, table.AsnRowCount);
        Assert.False(table.TryGetAsn(IPAddress.Parse("1.1.1.2"), out _));
        Assert.True(table.TryGetAsn(IPAddress.Parse("1.1.1.1"), out var kept));
        Assert.Equal(7497u, kept.Number);
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
    public void A_truncated_document_fails_its_source_only()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.RealIpRanges, "gcp-cloud.json"));
        File.WriteAllText(Path.Combine(_dir, "gcp-cloud.json"), text[..(text.Length / 2)]);
        File.Copy(Path.Combine(RepositoryFiles.Examples, "ipranges", "aws-ip-ranges.json"), Path.Combine(_dir, "aws-ip-ranges.json"));

        var (table, report) = RangeTableLoader.FromDirectory(_dir);

        Assert.Equal(["gcp-cloud.json"], report.FailedSources);
        Assert.Equal(0, report.AcceptedRows("gcp-cloud.json"));
        Assert.Equal(0, table.CountCloudEntries("gcp"));
        Assert.Equal(6, table.CountCloudEntries("aws"));
        Assert.True(Assert.Single(report.Issues).Line > 1);
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

    private void Write(string name, IEnumerable<string> lines) => File.WriteAllText(Path.Combine(_dir, name), string.Join('\n', lines) + "\n");
}
