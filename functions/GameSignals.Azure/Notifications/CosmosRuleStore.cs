using System.Net;
using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Rules in the Cosmos container <c>rules</c> (partition <c>/gameId</c>, item id = rule id). The item's
/// <c>_etag</c> is the rule's ETag; writes with one go through If-Match.
/// </summary>
public sealed class CosmosRuleStore : IRuleStore
{
    public const string ContainerName = "rules";

    private readonly Container _container;

    public CosmosRuleStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/gameId");

    public async ValueTask<StoredRule?> GetAsync(string gameId, string ruleId, CancellationToken cancellationToken) =>
        await CosmosItems.ReadAsync(_container, ruleId, new PartitionKey(gameId), NotificationsJsonContext.Default.NotificationRule, cancellationToken).ConfigureAwait(false) is { } found
            ? new StoredRule(found.Item, found.ETag)
            : null;

    public async ValueTask<IReadOnlyList<StoredRule>> ListAsync(string gameId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.gameId = @gameId").WithParameter("@gameId", gameId);
        var rules = new List<StoredRule>();
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(gameId) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var element in document.RootElement.GetProperty("Documents").EnumerateArray())
            {
                rules.Add(new StoredRule(element.Deserialize(NotificationsJsonContext.Default.NotificationRule)!, element.GetProperty("_etag").GetString()!));
            }
        }

        return [.. rules.OrderBy(r => r.Rule.Id, StringComparer.Ordinal)];
    }

    public async ValueTask<(RuleWriteStatus Status, StoredRule? Stored)> UpsertAsync(NotificationRule rule, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (status, etag) = await CosmosItems.WriteAsync(
            _container, rule.Id, rule, new PartitionKey(rule.GameId), NotificationsJsonContext.Default.NotificationRule, ifMatch, upsert: ifMatch is null, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.NotFound => (RuleWriteStatus.NotFound, null),
            HttpStatusCode.PreconditionFailed => (RuleWriteStatus.PreconditionFailed, null),
            _ => (RuleWriteStatus.Done, new StoredRule(rule, etag!)),
        };
    }

    public async ValueTask<RuleWriteStatus> DeleteAsync(string gameId, string ruleId, string? ifMatch, CancellationToken cancellationToken)
    {
        var options = ifMatch is null or "*" ? null : new ItemRequestOptions { IfMatchEtag = ifMatch };
        using var response = await _container.DeleteItemStreamAsync(ruleId, new PartitionKey(gameId), options, cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return RuleWriteStatus.NotFound;
            case HttpStatusCode.PreconditionFailed:
                return RuleWriteStatus.PreconditionFailed;
            default:
                response.EnsureSuccessStatusCode();
                return RuleWriteStatus.Done;
        }
    }
}
