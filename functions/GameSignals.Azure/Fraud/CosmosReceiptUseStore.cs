using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Store order uses in the Cosmos container <c>receiptuses</c> (partitioned by <c>/id</c>, kept for good): one item
/// per (store, order id), created once and then changed only by ETag-guarded replaces.
/// </summary>
public sealed class CosmosReceiptUseStore : IReceiptUseStore
{
    public const string ContainerName = "receiptuses";

    private readonly Container _container;

    public CosmosReceiptUseStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/id");

    public async ValueTask<ReceiptUses?> GetAsync(string store, string orderId, CancellationToken cancellationToken)
    {
        var id = FraudCosmosItems.HashId(store, orderId);
        var (item, etag) = await FraudCosmosItems.ReadAsync(_container, id, new PartitionKey(id), FraudCosmosJson.Default.ReceiptUsesItem, cancellationToken)
            .ConfigureAwait(false);
        return item is null ? null : new ReceiptUses(item.Store, item.OrderId, item.Uses, etag);
    }

    public async ValueTask<bool> TryCreateAsync(ReceiptUses uses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var (id, body) = Serialize(uses);
        return await FraudCosmosItems.CreateAsync(_container, body, new PartitionKey(id), cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask<bool> TryReplaceAsync(ReceiptUses uses, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        ArgumentNullException.ThrowIfNull(ifMatch);
        var (id, body) = Serialize(uses);
        return await FraudCosmosItems.ReplaceAsync(_container, id, body, new PartitionKey(id), ifMatch, cancellationToken).ConfigureAwait(false) is not null;
    }

    private static (string Id, byte[] Body) Serialize(ReceiptUses uses)
    {
        var id = FraudCosmosItems.HashId(uses.Store, uses.OrderId);
        return (id, JsonSerializer.SerializeToUtf8Bytes(new ReceiptUsesItem(id, uses.Store, uses.OrderId, uses.Uses), FraudCosmosJson.Default.ReceiptUsesItem));
    }
}
