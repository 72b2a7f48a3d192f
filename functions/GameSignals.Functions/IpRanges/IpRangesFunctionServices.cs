using System.ComponentModel.DataAnnotations;
using GameSignals.Admin.IpRanges;
using GameSignals.Azure.IpRanges;
using GameSignals.IpRanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace GameSignals.Functions.IpRanges;

public static class IpRangesFunctionServices
{
    /// <summary>The providers' public feeds, used for every source the <c>IpRanges</c> section does not configure.</summary>
    /// <remarks>
    /// Azure publishes its service tags under a new URL every week (no stable address), so it has no default:
    /// set <c>IpRanges:Sources:Azure:Url</c> to the current <c>ServiceTags_Public_*.json</c> to include Azure ranges.
    /// </remarks>
    public static IReadOnlyDictionary<RangeSourceKind, Uri> DefaultSourceUrls { get; } = new Dictionary<RangeSourceKind, Uri>
    {
        [RangeSourceKind.Aws] = new("https://ip-ranges.amazonaws.com/ip-ranges.json"),
        [RangeSourceKind.Gcp] = new("https://www.gstatic.com/ipranges/cloud.json"),
        [RangeSourceKind.Ip2Asn] = new("https://iptoasn.com/data/ip2asn-combined.tsv.gz"),
    };

    /// <summary>
    /// IP intelligence in the function app: Core's table and refresher over the blob snapshot store and the Cosmos
    /// blocklist, <see cref="IpRangesOptions"/> and <see cref="IpRangesHostOptions"/> bound from the <c>IpRanges</c>
    /// section (with <see cref="DefaultSourceUrls"/>), and the <see cref="IpRangesUpdater"/> that keeps this
    /// instance's table on the published snapshot.
    /// </summary>
    public static IServiceCollection AddIpRangesFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(IpRangesOptions.SectionName);
        services.AddIpRanges();
        services.AddIpRangesAzure();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(IpRangesMetrics.MeterName));
        services.AddOptions<IpRangesOptions>()
            .Configure(options =>
            {
                foreach (var (kind, url) in DefaultSourceUrls)
                {
                    options.Sources.TryAdd(kind, new IpRangeSourceOptions { Url = url });
                }
            })
            .Bind(section);
        services.AddOptions<IpRangesHostOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IpRangesUpdater>();
        services.AddSingleton<IRangePublisher>(provider => provider.GetRequiredService<IpRangesUpdater>());
        services.AddHostedService(provider => provider.GetRequiredService<IpRangesUpdater>());
        return services;
    }
}

/// <summary>How this instance follows the published snapshot (the <c>IpRanges</c> section, beside <see cref="IpRangesOptions"/>).</summary>
public sealed class IpRangesHostOptions
{
    /// <summary>How often each instance reads the snapshot pointer (one small blob read) and swaps in a new table.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "IpRanges:PointerCheckInterval must be from 1 s to 1 day.")]
    public TimeSpan PointerCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
