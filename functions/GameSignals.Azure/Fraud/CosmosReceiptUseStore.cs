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
        var id = CosmosItems.HashId(store, orderId);
        var found = await CosmosItems.ReadAsync(_container, id, new PartitionKey(id), FraudCosmosJson.Default.ReceiptUsesItem, cancellationToken)
            .ConfigureAwait(false);
        return found is { Item: var item, ETag: var etag } ? new ReceiptUses(item.Store, item.OrderId, item.Uses, etag) : null;
    }

    public async ValueTask<bool> TryCreateAsync(ReceiptUses uses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var item = ItemOf(uses);
        return await CosmosItems.CreateAsync(_container, item, new PartitionKey(item.Id), FraudCosmosJson.Default.ReceiptUsesItem, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask<bool> TryReplaceAsync(ReceiptUses uses, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        ArgumentNullException.ThrowIfNull(ifMatch);
        var item = ItemOf(uses);
        return await CosmosItems.ReplaceAsync(_container, item.Id, item, new PartitionKey(item.Id), FraudCosmosJson.Default.ReceiptUsesItem, ifMatch, cancellationToken)
            .ConfigureAwait(false) is not null;
    }

    private static ReceiptUsesItem ItemOf(ReceiptUses uses) =>
        new(CosmosItems.HashId(uses.Store, uses.OrderId), uses.Store, uses.OrderId, uses.Uses);
}
