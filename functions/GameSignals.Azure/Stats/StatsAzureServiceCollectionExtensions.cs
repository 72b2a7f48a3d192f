using GameSignals.Experiments;
using GameSignals.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Azure.Stats;

public static class StatsAzureServiceCollectionExtensions
{
    /// <summary>
    /// The Azure stores of stats among similar players (Cosmos containers <c>statssettings</c>, <c>experimentcounts</c>,
    /// <c>wouldhavereceived</c>, declared for creation), replacing the in-memory ones. Needs
    /// <see cref="AzureServiceCollectionExtensions.AddGameSignalsAzure"/>'s Cosmos client.
    /// </summary>
    public static IServiceCollection AddStatsAzure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosContainer(_ => CosmosStatsSettingsStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosExperimentResultsStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosWouldHaveReceivedStore.ContainerSpec);
        services.Replace(ServiceDescriptor.Singleton<IStatsSettingsStore, CosmosStatsSettingsStore>());
        services.Replace(ServiceDescriptor.Singleton<IExperimentResultsStore, CosmosExperimentResultsStore>());
        services.Replace(ServiceDescriptor.Singleton<IWouldHaveReceivedStore, CosmosWouldHaveReceivedStore>());
        return services;
    }
}
