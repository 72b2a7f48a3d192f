using GameSignals.Azure.Profiles;
using GameSignals.Profiles;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Tests.Profiles;

/// <summary>The app's composition of the profiles capability from the sample local settings.</summary>
public sealed class ProfilesCompositionTests
{
    [Fact]
    public void With_a_search_endpoint_profiles_live_in_Cosmos_and_vectors_in_AI_Search()
    {
        using var provider = Compose(new() { ["Search:endpoint"] = "https://example.search.windows.net", ["Search:indexName"] = "players" });

        Assert.IsType<CosmosProfileStore>(provider.GetRequiredService<IProfileStore>());
        Assert.IsType<CosmosPopulationStatisticsStore>(provider.GetRequiredService<IPopulationStatisticsStore>());
        Assert.IsType<SearchPlayerIndex>(provider.GetRequiredService<IPlayerIndex>());
        Assert.Equal("players", provider.GetRequiredService<global::Azure.Search.Documents.SearchClient>().IndexName);
    }

    [Fact]
    public void Without_a_search_endpoint_the_in_memory_index_stays_for_local_runs()
    {
        using var provider = Compose([]);

        Assert.IsType<ApproximatePlayerIndex>(provider.GetRequiredService<IPlayerIndex>());
        Assert.IsType<CosmosProfileStore>(provider.GetRequiredService<IProfileStore>());
    }

    private static ServiceProvider Compose(Dictionary<string, string?> extra)
    {
        return new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration(extra))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
