using System.ComponentModel.DataAnnotations;

namespace GameSignals.IpRanges;

/// <summary>Where the refresh downloads the range sources from, and when it refuses to publish. Bound by the host.</summary>
public sealed class IpRangesOptions : IValidatableObject
{
    public const string SectionName = "IpRanges";

    /// <summary>The sources to download; a source without a URL (or absent) is not part of the table.</summary>
    public Dictionary<RangeSourceKind, IpRangeSourceOptions> Sources { get; } = [];

    /// <summary>A download with fewer entries than (1 - this) times the last good copy is refused as a truncated feed.</summary>
    [Range(0.0, 1.0, ErrorMessage = "IpRanges:MaxShrinkFraction must be from 0 to 1.")]
    public double MaxShrinkFraction { get; set; } = 0.2;

    /// <summary>Snapshot blobs are named <c>{BlobPrefix}{version}.bin</c>.</summary>
    [Required(ErrorMessage = "IpRanges:BlobPrefix is required.")]
    public string BlobPrefix { get; set; } = "ipranges/";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (kind, source) in Sources)
        {
            var name = $"IpRanges:Sources:{kind}";
            if (source.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            {
                yield return new ValidationResult($"{name}:Url must be an absolute http or https URL.", [nameof(Sources)]);
            }

            if (source.MaxBytes <= 0)
            {
                yield return new ValidationResult($"{name}:MaxBytes must be positive.", [nameof(Sources)]);
            }

            if (source.Timeout <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{name}:Timeout must be positive.", [nameof(Sources)]);
            }
        }
    }
}

public sealed class IpRangeSourceOptions
{
    public Uri? Url { get; set; }

    /// <summary>A larger download is refused (the combined ip2asn TSV is about 30 MB uncompressed).</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>For the whole download, retries included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}
