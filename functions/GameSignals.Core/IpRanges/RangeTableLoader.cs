namespace GameSignals.IpRanges;

/// <summary>The five range sources of the contract, with the file names they have in a config's <c>ipranges/</c>.</summary>
public enum RangeSourceKind
{
    Aws,
    Gcp,
    Azure,
    Ip2Asn,
    Blocklist,
}

/// <summary>Builds a range table from files, for replay and tests.</summary>
public static class RangeTableLoader
{
    private delegate void SourceParser(ReadOnlyMemory<byte> content, string source, RangeSources into, RangeParseReport report);

    public const string AwsFile = "aws-ip-ranges.json";
    public const string GcpFile = "gcp-cloud.json";
    public const string AzureFile = "azure-service-tags.json";
    public const string BlocklistFile = "blocklist.json";
    public const string Ip2AsnFile = "ip2asn.tsv";

    /// <summary>The contract file name of a source, also its name in parse reports and metrics.</summary>
    public static string SourceName(RangeSourceKind kind) => kind switch
    {
        RangeSourceKind.Aws => AwsFile,
        RangeSourceKind.Gcp => GcpFile,
        RangeSourceKind.Azure => AzureFile,
        RangeSourceKind.Ip2Asn => Ip2AsnFile,
        RangeSourceKind.Blocklist => BlocklistFile,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown range source."),
    };

    /// <summary>Parses one source's content into <paramref name="into"/>, reporting bad rows under <paramref name="source"/>.</summary>
    public static void Parse(RangeSourceKind kind, ReadOnlyMemory<byte> content, string source, RangeSources into, RangeParseReport report)
    {
        SourceParser parse = kind switch
        {
            RangeSourceKind.Aws => RangeParsers.ParseAws,
            RangeSourceKind.Gcp => RangeParsers.ParseGcp,
            RangeSourceKind.Azure => RangeParsers.ParseAzure,
            RangeSourceKind.Ip2Asn => RangeParsers.ParseIp2Asn,
            RangeSourceKind.Blocklist => RangeParsers.ParseBlocklist,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown range source."),
        };
        parse(content, source, into, report);
    }

    /// <summary>
    /// Reads <c>aws-ip-ranges.json</c>, <c>gcp-cloud.json</c>, <c>azure-service-tags.json</c>, <c>ip2asn*.tsv</c> /
    /// <c>ip2asn*.tsv.gz</c> (all of them, e.g. v4 and v6) and <c>blocklist.json</c> from the directory (the config's
    /// <c>ipranges/</c>, or the config directory holding it). Missing files are allowed; bad rows are in the report.
    /// </summary>
    public static (RangeTable Table, RangeParseReport Report) FromDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (Directory.Exists(Path.Combine(directory, "ipranges")))
        {
            directory = Path.Combine(directory, "ipranges");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The IP range directory {directory} does not exist.");
        }

        var files = new List<(RangeSourceKind Kind, string Path)>
        {
            (RangeSourceKind.Aws, Path.Combine(directory, AwsFile)),
            (RangeSourceKind.Gcp, Path.Combine(directory, GcpFile)),
            (RangeSourceKind.Azure, Path.Combine(directory, AzureFile)),
            (RangeSourceKind.Blocklist, Path.Combine(directory, BlocklistFile)),
        };
        files.AddRange(Directory.EnumerateFiles(directory, "ip2asn*")
            .Where(path => path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tsv.gz", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(path => (RangeSourceKind.Ip2Asn, path)));

        var sources = new RangeSources();
        var report = new RangeParseReport();
        foreach (var (kind, path) in files.Where(file => File.Exists(file.Path)))
        {
            Parse(kind, File.ReadAllBytes(path), Path.GetFileName(path), sources, report);
        }

        return (RangeTable.Build(sources), report);
    }
}
