using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.IpRanges;

public static class IpRangesServiceCollectionExtensions
{
    /// <summary>
    /// IP intelligence: <see cref="IIpIntelligence"/> (the <see cref="CurrentRangeTable"/>), the
    /// <see cref="IpRangesRefresher"/> with its resilient HTTP client, and in-memory snapshot and blocklist stores
    /// (adapters replace them). Callers bind <see cref="IpRangesOptions"/>, e.g. from <see cref="IpRangesOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddIpRanges(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<IpRangesOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRangeSnapshotStore, InMemoryRangeSnapshotStore>();
        services.TryAddSingleton<IBlocklistStore, InMemoryBlocklistStore>();
        services.TryAddSingleton<IpRangesMetrics>();
        services.TryAddSingleton<CurrentRangeTable>();
        services.TryAddSingleton<IIpIntelligence>(provider => provider.GetRequiredService<CurrentRangeTable>());
        services.TryAddSingleton<IpRangesRefresher>();

        // Provider feeds are a few MB (ip2asn tens of MB): attempts get minutes, not the default 10 s.
        services.AddHttpClient(IpRangesRefresher.HttpClientName).AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = TimeSpan.FromMinutes(2);
            resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(6);
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(5);
        });
        return services;
    }
}
