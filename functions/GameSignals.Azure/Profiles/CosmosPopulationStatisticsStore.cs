using GameSignals.Azure.Cosmos;
using GameSignals.Profiles;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Profiles;

/// <summary>
/// Each game's latest population statistics in the Cosmos container <c>profilestats</c>: one item per game
/// (id and partition key the game id), replaced wholesale by the renormalisation timer (last write wins:
/// every write is a complete recomputation).
/// </summary>
public sealed class CosmosPopulationStatisticsStore : IPopulationStatisticsStore
{
    public const string ContainerName = "profilestats";

    private readonly Container _container;

    public CosmosPopulationStatisticsStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/id");

    public async ValueTask<PopulationStatistics?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        (await CosmosItems.ReadAsync(_container, gameId, new PartitionKey(gameId), ProfilesCosmosJson.Default.StatisticsItem, cancellationToken).ConfigureAwait(false))?.Item.Statistics;

    public async ValueTask SetAsync(PopulationStatistics statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var item = new StatisticsItem(statistics.GameId, statistics);
        await CosmosItems.WriteAsync(_container, item.Id, item, new PartitionKey(statistics.GameId), ProfilesCosmosJson.Default.StatisticsItem, null, upsert: true, cancellationToken)
            .ConfigureAwait(false);
    }
}

internal sealed record StatisticsItem(string Id, PopulationStatistics Statistics);
