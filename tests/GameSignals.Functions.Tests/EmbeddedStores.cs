using GameSignals.Experiments;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using GameSignals.Profiles;
using GameSignals.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Functions.Tests;

/// <summary>
/// Replaces every Azure store and client of the app's composition by its in-memory twin, so function tests run
/// the real composition without services. Tests then replace the few stores they inspect with their own instances.
/// </summary>
internal static class EmbeddedStores
{
    public static IServiceCollection UseEmbeddedStores(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IPartitionStateStore>(new InMemoryPartitionStateStore()));
        services.Replace(ServiceDescriptor.Singleton<IDeadLetterStore>(new InMemoryDeadLetterStore()));

        services.Replace(ServiceDescriptor.Singleton<IRuleStore>(new InMemoryRuleStore()));
        services.Replace(ServiceDescriptor.Singleton<INotificationStore>(new InMemoryNotificationStore()));
        services.Replace(ServiceDescriptor.Singleton<IShadowNotificationStore>(new InMemoryShadowNotificationStore()));
        services.Replace(ServiceDescriptor.Singleton<IRuleHistoryStore>(new InMemoryRuleHistoryStore()));
        services.Replace(ServiceDescriptor.Singleton<IPlayerLocaleStore>(new InMemoryPlayerLocaleStore()));
        services.Replace(ServiceDescriptor.Singleton<IPushQueue>(new InMemoryPushQueue()));

        services.Replace(ServiceDescriptor.Singleton<IFlagStore>(new InMemoryFlagStore()));
        services.Replace(ServiceDescriptor.Singleton<IFraudConfigStore>(new InMemoryFraudConfigStore()));
        services.Replace(ServiceDescriptor.Singleton<IReceiptUseStore>(new InMemoryReceiptUseStore()));
        services.Replace(ServiceDescriptor.Singleton<IDeviceSightingStore>(new InMemoryDeviceSightingStore(TimeSpan.FromDays(1))));
        services.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(new InMemoryFraudActionPublisher()));

        services.Replace(ServiceDescriptor.Singleton<IProfileStore>(new InMemoryProfileStore()));
        services.Replace(ServiceDescriptor.Singleton<IPopulationStatisticsStore>(new InMemoryPopulationStatisticsStore()));
        services.Replace(ServiceDescriptor.Singleton<IPlayerIndex>(new ExactPlayerIndex()));

        services.Replace(ServiceDescriptor.Singleton<IStatsSettingsStore>(new InMemoryStatsSettingsStore()));
        services.Replace(ServiceDescriptor.Singleton<IExperimentResultsStore>(new InMemoryExperimentResultsStore()));
        services.Replace(ServiceDescriptor.Singleton<IWouldHaveReceivedStore>(new InMemoryWouldHaveReceivedStore()));

        services.Replace(ServiceDescriptor.Singleton<IRangeSnapshotStore>(new InMemoryRangeSnapshotStore()));
        services.Replace(ServiceDescriptor.Singleton<IBlocklistStore>(new InMemoryBlocklistStore()));
        return services;
    }
}
