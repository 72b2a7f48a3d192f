namespace GameSignals.Cli.Tests;

/// <summary><c>ranges DIR</c>: what each publication in a folder holds, and every row rejected.</summary>
public sealed class RangesCommandTests
{
    [Fact]
    public async Task Clean_publications_print_their_IPv4_and_IPv6_counts_per_file_with_exit_code_0()
    {
        var (code, output, error) = await CliRun.RunAsync(["ranges", RepositoryFiles.RangeFormats]);

        Assert.Equal((0, ""), (code, error));
        Assert.Equal(
            [
                "aws-ip-ranges.json: 10 rows accepted (7 IPv4, 3 IPv6 prefixes), 0 rejected",
                "azure-service-tags.json: 7 rows accepted (4 IPv4, 3 IPv6 prefixes), 0 rejected",
                "gcp-cloud.json: 4 rows accepted (2 IPv4, 2 IPv6 prefixes), 0 rejected",
                "ip2asn-v4.tsv.gz: 6 rows accepted, 0 rejected",
                "ip2asn-v6.tsv: 2 rows accepted, 0 rejected",
                "ip2asn, all files: 6 IPv4 and 2 IPv6 address ranges",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Rejected_rows_and_refused_files_are_listed_with_line_and_reason_and_exit_code_1()
    {
        var (code, output, _) = await CliRun.RunAsync(["ranges", RepositoryFiles.MalformedRanges]);

        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("aws-ip-ranges.json: 3 rows accepted (2 IPv4, 1 IPv6 prefixes), 5 rejected", lines);
        Assert.Contains("line 11: '192.0.2.400/32' is not a CIDR prefix", lines);
        Assert.Contains("gcp-cloud.json: not read, the whole file is refused", lines);
        Assert.Contains("ip2asn-v4.tsv: 2 rows accepted, 5 rejected", lines);
        Assert.Contains("line 2: AS_number 'AS64497' is not a number", lines);
        Assert.Contains("ip2asn-v6.tsv.gz: not read, the whole file is refused", lines);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_or_holds_no_publication_is_a_usage_error()
    {
        var missing = Path.Combine(Path.GetTempPath(), "gamesignals-no-such-folder");
        var empty = CliRun.TempDirectory();
        try
        {
            var (missingCode, _, missingError) = await CliRun.RunAsync(["ranges", missing]);
            var (emptyCode, _, emptyError) = await CliRun.RunAsync(["ranges", empty]);

            Assert.Equal(2, missingCode);
            Assert.Contains(missing, missingError, StringComparison.Ordinal);
            Assert.Equal(2, emptyCode);
            Assert.Contains("holds no range publication", emptyError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
