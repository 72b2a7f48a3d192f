using System.CommandLine;
using System.Globalization;
using GameSignals.IpRanges;

namespace GameSignals.Cli.Ranges;

/// <summary>
/// <c>ranges DIR</c>: parses a folder of IP range publications (the files of a config's <c>ipranges/</c>) with the
/// app's parsers and prints, per file, the rows accepted (IPv4 and IPv6) and every row rejected with its line and
/// reason. Exit 1 when a row was rejected or a file could not be read, so a download can be checked before use.
/// </summary>
internal static class RangesCommand
{
    /// <summary>Rejected rows printed per file; the rest are counted.</summary>
    private const int ShownIssues = 20;

    private static readonly Dictionary<string, string> ProviderOfFile = new(StringComparer.Ordinal)
    {
        [RangeTableLoader.AwsFile] = "aws",
        [RangeTableLoader.GcpFile] = "gcp",
        [RangeTableLoader.AzureFile] = "azure",
    };

    public static Command Create(CliConsole console)
    {
        var directory = new Argument<string>("DIR") { Description = "a folder with aws-ip-ranges.json, gcp-cloud.json, azure-service-tags.json, ip2asn*.tsv[.gz], blocklist.json" };
        var command = new Command("ranges", "Parse a folder of IP range publications and print what each file holds and every row rejected.") { directory };
        command.SetAction(async (parse, _) =>
        {
            var clean = await PrintAsync(parse.GetRequiredValue(directory), console.Out).ConfigureAwait(false);
            return clean ? GameSignalsCli.Success : GameSignalsCli.Failed;
        });
        return command;
    }

    /// <summary>True when every row of every file was accepted.</summary>
    private static async Task<bool> PrintAsync(string directory, TextWriter output)
    {
        var (table, report) = RangeTableLoader.FromDirectory(directory);
        var files = report.Accepted.Keys.Concat(report.FailedSources).Distinct().Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new CliUsageException($"{directory} holds no range publication (aws-ip-ranges.json, gcp-cloud.json, azure-service-tags.json, ip2asn*.tsv[.gz], blocklist.json)");
        }

        var sources = table.ToSources();
        foreach (var file in files)
        {
            var issues = report.Issues.Where(issue => issue.Source == file).ToList();
            var line = $"{file}: {Count(report.AcceptedRows(file))} rows accepted";
            if (report.FailedSources.Contains(file))
            {
                line = $"{file}: not read, the whole file is refused";
            }
            else if (ProviderOfFile.TryGetValue(file, out var provider))
            {
                var prefixes = sources.Cloud.Where(entry => entry.Range.Provider == provider).ToList();
                var v4 = prefixes.Count(entry => IpKey.IsIPv4(entry.Prefix.Start));
                line += $" ({Count(v4)} IPv4, {Count(prefixes.Count - v4)} IPv6 prefixes), {Count(issues.Count)} rejected";
            }
            else
            {
                line += $", {Count(issues.Count)} rejected";
            }

            await output.WriteLineAsync(line).ConfigureAwait(false);
            foreach (var issue in issues.Take(ShownIssues))
            {
                await output.WriteLineAsync($"  line {issue.Line}: {issue.Message}").ConfigureAwait(false);
            }

            if (issues.Count > ShownIssues)
            {
                await output.WriteLineAsync($"  ... and {Count(issues.Count - ShownIssues)} more").ConfigureAwait(false);
            }
        }

        // ip2asn may come as several files (v4, v6, combined): their rows are counted together.
        if (files.Any(file => file.StartsWith("ip2asn", StringComparison.Ordinal)))
        {
            var v4 = sources.Asn.Count(row => IpKey.IsIPv4(row.Start));
            await output.WriteLineAsync($"ip2asn, all files: {Count(v4)} IPv4 and {Count(sources.Asn.Count - v4)} IPv6 address ranges").ConfigureAwait(false);
        }

        return report.Issues.Count == 0;
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
