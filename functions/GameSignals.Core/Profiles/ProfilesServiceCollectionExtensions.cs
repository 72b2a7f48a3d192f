using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Profiles;

public static class ProfilesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the profile stage, the indexer, the similarity service and the in-memory stores and exact
    /// index (Azure adapters replace the stores and the index by registering theirs first or after with Replace).
    /// </summary>
    public static IServiceCollection AddProfiles(this IServiceCollection services, Action<ProfileOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProfileOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddStoreRetry();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<IProfileStore, InMemoryProfileStore>();
        services.TryAddSingleton<IPopulationStatisticsStore, InMemoryPopulationStatisticsStore>();
        services.TryAddSingleton<IPlayerIndex, ApproximatePlayerIndex>();
        services.TryAddSingleton<ProfileIndexer>();
        services.TryAddSingleton<SimilarityService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, ProfileStage>());
        services.AddPartitionStatePart(ProfileState.Type);
        return services;
    }
}
