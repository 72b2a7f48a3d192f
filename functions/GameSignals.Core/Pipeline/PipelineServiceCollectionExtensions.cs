using GameSignals.Fraud;
using GameSignals.Notifications;
using GameSignals.Pipeline.State;
using GameSignals.Profiles;
using GameSignals.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Pipeline;

/// <summary>
/// The one composition of the pipeline that the function app and <c>replay</c> share: the <see cref="EventPipeline"/>
/// and its stages in their order. Each host then replaces stores (Azure adapters, replay's embedded stores) and adds
/// what only it has (triggers, admin functions, replay outputs).
/// </summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The pipeline without stages: decode, dead letters, duplicates (replay's <c>--stages none</c>).</summary>
    public static IServiceCollection AddEventPipeline(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<EventPipeline>();
        services.TryAddSingleton<PartitionStates>();
        services.TryAddSingleton<IPartitionStateStore, InMemoryPartitionStateStore>();
        services.AddOptions<PartitionStateOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddStoreRetry();
        return services;
    }

    /// <summary>A capability's part of every partition's state, registered once however often its capability is added.</summary>
    public static IServiceCollection AddPartitionStatePart(this IServiceCollection services, PartitionStatePartType part)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(descriptor => ReferenceEquals(descriptor.ImplementationInstance, part)))
        {
            services.AddSingleton(part);
        }

        return services;
    }

    /// <summary>
    /// Every capability's stage, in the order they run over each batch: notifications, fraud, profiles, stats. A stage is
    /// an <see cref="IEventStage"/>, and the pipeline runs them in registration order, so this is the only place
    /// that order is written. The fraud stage needs an <see cref="IpRanges.IIpIntelligence"/> from the host.
    /// </summary>
    public static IServiceCollection AddEventStages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddNotifications();
        services.AddFraud();
        services.AddProfiles();
        services.AddStats();
        return services;
    }
}
