using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Rule changes in the Cosmos container <c>rulehistory</c> (partition <c>/gameId</c>, item id = the change's id),
/// kept for good. Each item is the change plus <c>atKey</c> (<see cref="CosmosTimeKey"/>), which the history's
/// single-partition query orders on, newest first. An append is a create that treats 409 as done.
/// </summary>
public sealed class CosmosRuleHistoryStore : IRuleHistoryStore
{
    public const string ContainerName = "rulehistory";

    private readonly Container _container;

    public CosmosRuleHistoryStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/gameId");

    public async ValueTask AppendAsync(RuleChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var item = JsonSerializer.SerializeToNode(change, NotificationsJsonContext.Default.RuleChange)!.AsObject();
        item["atKey"] = CosmosTimeKey.Of(change.At, change.Id);
        // Already there: an earlier attempt whose answer was lost wrote it.
        await CosmosItems.CreateAsync(_container, item, new PartitionKey(change.GameId), NotificationsAzureJson.Default.JsonObject, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<RuleChange?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken) =>
        await CosmosItems.ReadAsync(_container, id, new PartitionKey(gameId), NotificationsJsonContext.Default.RuleChange, cancellationToken).ConfigureAwait(false) is { Item: var change }
            && change.RuleId == ruleId
            ? change
            : null;

    /// <exception cref="ArgumentException">The continuation token is not one this store gave.</exception>
    public async ValueTask<RuleHistoryPage> ListAsync(string gameId, string ruleId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.gameId = @gameId AND c.ruleId = @ruleId ORDER BY c.atKey DESC")
            .WithParameter("@gameId", gameId).WithParameter("@ruleId", ruleId);
        var (changes, next) = await CosmosItems.QueryPageAsync(
            _container, query, new PartitionKey(gameId), pageSize, continuationToken, NotificationsJsonContext.Default.RuleChange, nameof(continuationToken), cancellationToken)
            .ConfigureAwait(false);
        return new RuleHistoryPage(changes, next);
    }
}
