using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using GameSignals.Azure.Startup;
using GameSignals.Profiles;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Azure.Profiles;

public static class ProfilesAzureServiceCollectionExtensions
{
    /// <summary>
    /// The Azure stores of the profiles capability: <see cref="CosmosProfileStore"/> and
    /// <see cref="CosmosPopulationStatisticsStore"/> (containers declared for creation), and, when
    /// <c>Search:endpoint</c> is set, <see cref="SearchPlayerIndex"/> over index <c>Search:indexName</c>
    /// (default <c>profiles</c>), created in the background at start-up when missing (retried while the
    /// app's roles propagate, never failing start-up). Without an endpoint (local runs: AI Search
    /// has no emulator) Core's in-memory index stays. Uses the credential and retry defaults of
    /// <see cref="AzureServiceCollectionExtensions.AddGameSignalsAzure"/>.
    /// </summary>
    public static IServiceCollection AddProfilesAzure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCosmosContainer(_ => CosmosProfileStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosPopulationStatisticsStore.ContainerSpec);
        services.Replace(ServiceDescriptor.Singleton<IProfileStore, CosmosProfileStore>());
        services.Replace(ServiceDescriptor.Singleton<IPopulationStatisticsStore, CosmosPopulationStatisticsStore>());

        var search = configuration.GetSection("Search");
        if (string.IsNullOrEmpty(search["endpoint"]))
        {
            return services;
        }

        var endpoint = Uri.TryCreate(search["endpoint"], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException("Search:endpoint must be an absolute URI, e.g. https://SERVICE.search.windows.net.");
        var indexName = search["indexName"] is { Length: > 0 } name ? name : "profiles";
        services.AddAzureClients(clients =>
        {
            // The package's builder extensions take only API keys; these use the app's Entra ID credential.
            clients.AddClient<SearchIndexClient, SearchClientOptions>((options, credential) => new SearchIndexClient(endpoint, credential, options));
            clients.AddClient<SearchClient, SearchClientOptions>((options, credential) => new SearchClient(endpoint, indexName, credential, options));
        });
        services.TryAddSingleton<SearchPlayerIndex>();
        services.Replace(ServiceDescriptor.Singleton<IPlayerIndex>(sp => sp.GetRequiredService<SearchPlayerIndex>()));
        services.AddStartupResource($"AI Search index {indexName}", (sp, cancellationToken) => sp.GetRequiredService<SearchPlayerIndex>().EnsureIndexAsync(cancellationToken));
        return services;
    }
}
