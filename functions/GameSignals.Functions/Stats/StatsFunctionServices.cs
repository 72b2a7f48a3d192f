using GameSignals.Azure.Stats;
using GameSignals.Stats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace GameSignals.Functions.Stats;

public static class StatsFunctionServices
{
    /// <summary>
    /// Stats among similar players in the function app: Core's stats and experiment stages with options from the
    /// <c>Stats</c> section (<see cref="StatsOptions"/>), over the Cosmos stores of <see cref="StatsAzureServiceCollectionExtensions.AddStatsAzure"/>,
    /// and their metrics.
    /// </summary>
    public static IServiceCollection AddStatsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddStats();
        services.AddOptions<StatsOptions>().Bind(configuration.GetSection("Stats"));
        services.AddStatsAzure();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(StatsMetrics.MeterName));
        return services;
    }
}
