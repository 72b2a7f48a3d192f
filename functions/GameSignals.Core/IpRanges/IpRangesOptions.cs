namespace GameSignals.IpRanges;

/// <summary>Where the refresh downloads the range sources from, and when it refuses to publish. Bound by the host.</summary>
public sealed class IpRangesOptions
{
    public const string SectionName = "IpRanges";

    /// <summary>The sources to download; a source without a URL (or absent) is not part of the table.</summary>
    public Dictionary<RangeSourceKind, IpRangeSourceOptions> Sources { get; } = [];

    /// <summary>A download with fewer entries than (1 - this) times the last good copy is refused as a truncated feed.</summary>
    public double MaxShrinkFraction { get; set; } = 0.2;

    /// <summary>Snapshot blobs are named <c>{BlobPrefix}{version}.bin</c>.</summary>
    public string BlobPrefix { get; set; } = "ipranges/";
}

public sealed class IpRangeSourceOptions
{
    public Uri? Url { get; set; }

    /// <summary>A larger download is refused (the combined ip2asn TSV is about 30 MB uncompressed).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>For the whole download, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}
