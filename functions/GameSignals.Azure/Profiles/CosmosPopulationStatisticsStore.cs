using System.Text.Json;
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
        (await ProfilesCosmosItems.ReadAsync(_container, gameId, new PartitionKey(gameId), ProfilesCosmosJson.Default.StatisticsItem, cancellationToken).ConfigureAwait(false))?.Item.Statistics;

    public async ValueTask SetAsync(PopulationStatistics statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var item = new StatisticsItem(statistics.GameId, statistics);
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(item, ProfilesCosmosJson.Default.StatisticsItem), writable: false);
        using var response = await _container.UpsertItemStreamAsync(body, new PartitionKey(statistics.GameId), cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}

internal sealed record StatisticsItem(string Id, PopulationStatistics Statistics);
