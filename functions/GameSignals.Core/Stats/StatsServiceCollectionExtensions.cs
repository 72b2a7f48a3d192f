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
    /// Registers the stats stage as an <see cref="IEventStage"/> (after the notification and profile stages, whose services it
    /// uses), its settings cache, the peers cache, the moments' partition state part, and in-memory stores (settings, the
    /// "would have received" log) that Azure adapters may replace.
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, StatsStage>());
        services.AddPartitionStatePart(MomentState.Type);
        return services;
    }
}
