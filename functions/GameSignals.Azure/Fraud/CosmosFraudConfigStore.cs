using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Fraud settings in the Cosmos container <c>fraudconfig</c>, partitioned by <c>/gameId</c>: one item per game with the
/// fixed id <see cref="ItemId"/> (game ids need no escaping that way), holding the settings' JSON at top level.
/// The item's ETag is the version the admin API and the settings cache compare.
/// </summary>
public sealed class CosmosFraudConfigStore : IFraudConfigStore
{
    public const string ContainerName = "fraudconfig";
    public const string ItemId = "fraud";

    private readonly Container _container;

    public CosmosFraudConfigStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/gameId");

    public async ValueTask<StoredFraudConfig?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        // Unknown members (id, gameId, Cosmos's _rid, _etag, ...) are skipped by the settings' reader.
        var found = await CosmosItems.ReadAsync(_container, ItemId, new PartitionKey(gameId), FraudCosmosJson.Default.GameFraudConfig, cancellationToken)
            .ConfigureAwait(false);
        return found is { Item: var config, ETag: var etag } ? new StoredFraudConfig(gameId, config, etag) : null;
    }

    public async ValueTask<string?> SaveAsync(string gameId, GameFraudConfig config, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(config);
        var item = JsonSerializer.SerializeToNode(config, FraudCosmosJson.Default.GameFraudConfig)!.AsObject();
        item["id"] = ItemId;
        item["gameId"] = gameId;
        var (_, etag) = await CosmosItems.WriteAsync(
            _container, ItemId, item, new PartitionKey(gameId), FraudCosmosJson.Default.JsonObject, ifMatch, upsert: ifMatch is null, cancellationToken).ConfigureAwait(false);
        return etag;
    }
}
