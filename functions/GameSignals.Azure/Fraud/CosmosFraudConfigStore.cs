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
        var (config, etag) = await FraudCosmosItems.ReadAsync(_container, ItemId, new PartitionKey(gameId), FraudCosmosJson.Default.GameFraudConfig, cancellationToken)
            .ConfigureAwait(false);
        return config is null ? null : new StoredFraudConfig(gameId, config, etag!);
    }

    public async ValueTask<string?> SaveAsync(string gameId, GameFraudConfig config, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(config);
        var item = JsonSerializer.SerializeToNode(config, FraudCosmosJson.Default.GameFraudConfig)!.AsObject();
        item["id"] = ItemId;
        item["gameId"] = gameId;
        var body = JsonSerializer.SerializeToUtf8Bytes(item, FraudCosmosJson.Default.JsonObject);
        var partitionKey = new PartitionKey(gameId);
        if (ifMatch is not null)
        {
            return await FraudCosmosItems.ReplaceAsync(_container, ItemId, body, partitionKey, ifMatch, cancellationToken).ConfigureAwait(false);
        }

        using var stream = new MemoryStream(body, writable: false);
        using var response = await _container.UpsertItemStreamAsync(stream, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag;
    }
}
