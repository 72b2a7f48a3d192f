using GameSignals.Experiments;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Stats;

public static class StatsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the stats stage and the experiment stage as <see cref="IEventStage"/>s (after the notification and profile
    /// stages, whose services they use), the settings cache, the peers cache, the moments' and experiments' partition state
    /// parts, and in-memory stores (settings, the "would have received" log, experiment counts) that Azure adapters may replace.
    /// </summary>
    public static IServiceCollection AddStats(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StatsOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddNotifications();
        services.AddProfiles();
        services.TryAddSingleton<StatsMetrics>();
        services.TryAddSingleton<IStatsSettingsStore, InMemoryStatsSettingsStore>();
        services.TryAddSingleton<IWouldHaveReceivedStore, InMemoryWouldHaveReceivedStore>();
        services.TryAddSingleton<StatsSettingsCache>();
        services.TryAddSingleton<PeersCache>();
        services.TryAddSingleton<IExperimentResultsStore, InMemoryExperimentResultsStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, StatsStage>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, ExperimentStage>());
        services.AddPartitionStatePart(MomentState.Type);
        services.AddPartitionStatePart(ExperimentState.Type);
        return services;
    }
}
