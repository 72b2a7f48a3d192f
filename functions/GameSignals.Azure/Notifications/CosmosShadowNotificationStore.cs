using System.Text;
using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Shadow rules' records in the Cosmos container <c>shadownotifications</c>, partitioned by <c>/shadowRule</c> (a hash
/// of game and rule: every read is per rule), each living its own <c>ttl</c>. Each item is the record plus
/// <c>timeKey</c> (<see cref="CosmosTimeKey"/>) and <c>sent</c>, which the queries order and filter on. Writes are
/// creates that treat 409 as done; lists are single-partition queries that also filter on game and rule.
/// </summary>
public sealed class CosmosShadowNotificationStore : IShadowNotificationStore
{
    public const string ContainerName = "shadownotifications";

    private const string RuleFilter = "c.shadowRule = @shadowRule AND c.gameId = @gameId AND c.ruleId = @ruleId";

    private readonly Container _container;

    public CosmosShadowNotificationStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    /// <summary>TTL on, each item with its own (the record's <c>ttl</c>).</summary>
    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/shadowRule", -1);

    public async ValueTask<bool> CreateAsync(ShadowRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = JsonSerializer.SerializeToNode(record, NotificationsJsonContext.Default.ShadowRecord)!.AsObject();
        item["shadowRule"] = PartitionOf(record.GameId, record.RuleId);
        item["timeKey"] = CosmosTimeKey.Of(record.Time, record.Id);
        item["sent"] = record.Notification is not null;
        return await CosmosItems.CreateAsync(_container, item, Key(record.GameId, record.RuleId), NotificationsAzureJson.Default.JsonObject, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask<ShadowRecord?> GetAsync(string gameId, string ruleId, string id, CancellationToken cancellationToken) =>
        (await CosmosItems.ReadAsync(_container, id, Key(gameId, ruleId), NotificationsJsonContext.Default.ShadowRecord, cancellationToken).ConfigureAwait(false))?.Item;

    /// <exception cref="ArgumentException">The continuation token is not one this store gave.</exception>
    public async ValueTask<ShadowPage> ListNotificationsAsync(ShadowQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var definition = Query(query.GameId, query.RuleId, query.From, query.To, "c.sent = true", "DESC");
        var (records, next) = await CosmosItems.QueryPageAsync(
            _container, definition, Key(query.GameId, query.RuleId), query.PageSize, query.ContinuationToken, NotificationsJsonContext.Default.ShadowRecord,
            nameof(query), cancellationToken).ConfigureAwait(false);
        return new ShadowPage([.. records.Select(r => r.Notification!)], next);
    }

    public IAsyncEnumerable<ShadowRecord> ScanAsync(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        CosmosItems.QueryAllAsync(_container, Query(gameId, ruleId, since, until, null, "ASC"), Key(gameId, ruleId), NotificationsJsonContext.Default.ShadowRecord, cancellationToken);

    private static QueryDefinition Query(string gameId, string ruleId, DateTimeOffset? since, DateTimeOffset? until, string? filter, string order)
    {
        var sql = new StringBuilder("SELECT * FROM c WHERE ").Append(RuleFilter);
        if (filter is not null)
        {
            sql.Append(" AND ").Append(filter);
        }

        if (since is not null)
        {
            sql.Append(" AND c.timeKey >= @since");
        }

        if (until is not null)
        {
            sql.Append(" AND c.timeKey < @until");
        }

        var definition = new QueryDefinition(sql.Append(" ORDER BY c.timeKey ").Append(order).ToString())
            .WithParameter("@shadowRule", PartitionOf(gameId, ruleId)).WithParameter("@gameId", gameId).WithParameter("@ruleId", ruleId);
        if (since is { } start)
        {
            definition = definition.WithParameter("@since", CosmosTimeKey.Of(start, ""));
        }

        return until is { } end ? definition.WithParameter("@until", CosmosTimeKey.Of(end, "")) : definition;
    }

    private static string PartitionOf(string gameId, string ruleId) => CosmosItems.HashId(gameId, ruleId);

    private static PartitionKey Key(string gameId, string ruleId) => new(PartitionOf(gameId, ruleId));
}
