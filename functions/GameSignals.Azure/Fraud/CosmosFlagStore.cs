using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GameSignals.Azure.Cosmos;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Fraud flags in the Cosmos container <c>flags</c>, partitioned by <c>/gameId</c>, the item id being the flag id.
/// Each item is the flag's contract JSON plus <c>timeKey</c>: the event time in UTC at fixed width followed by the
/// flag id, so that one string orders flags by (time, id) whatever the events' offsets, and bounds time ranges.
/// </summary>
public sealed class CosmosFlagStore : IFlagStore
{
    public const string ContainerName = "flags";

    private readonly Container _container;

    public CosmosFlagStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/gameId");

    public async ValueTask<bool> CreateAsync(FraudFlag flag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return await CosmosItems.CreateAsync(_container, Stored(flag), new PartitionKey(flag.GameId), FraudCosmosJson.Default.JsonObject, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async ValueTask<FraudFlag?> GetAsync(string gameId, string id, CancellationToken cancellationToken) =>
        (await CosmosItems.ReadAsync(_container, id, new PartitionKey(gameId), FraudCosmosJson.Default.FraudFlag, cancellationToken).ConfigureAwait(false))?.Item;

    /// <summary>A single-partition query ordered by <c>timeKey</c>; pages follow the SDK's continuation token.</summary>
    /// <exception cref="ArgumentException">The continuation token is not one this store gave.</exception>
    public async ValueTask<FlagPage> QueryAsync(FlagQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        if (query.GameId is null)
        {
            throw new ArgumentException("Flags are queried per game.", nameof(query));
        }

        var sql = new StringBuilder("SELECT * FROM c WHERE c.gameId = @gameId");
        var parameters = new List<(string, object)> { ("@gameId", query.GameId) };
        void Filter(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }

        Filter("c.userId = @userId", "@userId", query.UserId);
        Filter("c.reason = @reason", "@reason", query.Reason);
        Filter("c.status = @status", "@status", query.Status is { } status ? JsonSerializer.SerializeToElement(status, FraudCosmosJson.Default.FlagStatus).GetString() : null);
        Filter("c.timeKey >= @from", "@from", query.From is { } from ? CosmosTimeKey.Of(from, "") : null);
        Filter("c.timeKey < @to", "@to", query.To is { } to ? CosmosTimeKey.Of(to, "") : null);
        sql.Append(" ORDER BY c.timeKey");
        var definition = new QueryDefinition(sql.ToString());
        foreach (var (name, value) in parameters)
        {
            definition = definition.WithParameter(name, value);
        }

        var requestOptions = new QueryRequestOptions { PartitionKey = new PartitionKey(query.GameId), MaxItemCount = query.PageSize };
        try
        {
            using var iterator = _container.GetItemQueryStreamIterator(definition, query.ContinuationToken, requestOptions);
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest && query.ContinuationToken is not null)
            {
                throw BadToken(null);
            }

            response.EnsureSuccessStatusCode();
            var page = await JsonSerializer.DeserializeAsync(response.Content, FraudCosmosJson.Default.FlagQueryPage, cancellationToken).ConfigureAwait(false);
            return new FlagPage(page?.Documents ?? [], response.ContinuationToken);
        }
        catch (Exception e) when (query.ContinuationToken is not null
            && (e is CosmosException { StatusCode: HttpStatusCode.BadRequest } || e is JsonException || e is FormatException || e.GetType() == typeof(ArgumentException)))
        {
            throw BadToken(e);
        }
    }

    public async ValueTask<FraudFlag?> ReviewAsync(string gameId, string id, FlagReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review.Status == FlagStatus.Open)
        {
            throw new ArgumentException("A review resolves or dismisses a flag.", nameof(review));
        }

        // The ETag-guarded replace in UpdateAsync makes "still open" and the review one atomic step.
        return await UpdateAsync(
                gameId, id, f => f.Status != FlagStatus.Open ? null : f with { Status = review.Status, Comment = review.Comment, ResolvedBy = review.By, ResolvedAt = review.At }, cancellationToken)
            .ConfigureAwait(false);
    }

    public async ValueTask ReplaceEvidenceAsync(string gameId, string id, JsonElement evidence, Func<JsonElement, JsonElement, bool> supersedes, CancellationToken cancellationToken) =>
        await UpdateAsync(gameId, id, f => supersedes(f.Evidence, evidence) ? f with { Evidence = evidence } : null, cancellationToken).ConfigureAwait(false);

    public async ValueTask MarkActionPublishedAsync(string gameId, string id, CancellationToken cancellationToken) =>
        await UpdateAsync(gameId, id, f => f.ActionPublished ? null : f with { ActionPublished = true }, cancellationToken).ConfigureAwait(false);

    /// <summary>Applies <paramref name="change"/> (null: nothing to change) read-modify-replace; null when there is no such flag.</summary>
    private ValueTask<FraudFlag?> UpdateAsync(string gameId, string id, Func<FraudFlag, FraudFlag?> change, CancellationToken cancellationToken) =>
        CosmosItems.UpdateAsync(_container, id, new PartitionKey(gameId), FraudCosmosJson.Default.FraudFlag, flag => flag is null ? null : change(flag), cancellationToken,
            flag => JsonSerializer.SerializeToUtf8Bytes(Stored(flag), FraudCosmosJson.Default.JsonObject));

    /// <summary>The flag as stored: its contract JSON and <c>timeKey</c>.</summary>
    private static JsonObject Stored(FraudFlag flag)
    {
        var item = JsonSerializer.SerializeToNode(flag, FraudCosmosJson.Default.FraudFlag)!.AsObject();
        item["timeKey"] = CosmosTimeKey.Of(flag.Time, flag.Id);
        return item;
    }

    private static ArgumentException BadToken(Exception? inner) =>
        new("The continuation token is not one this store gave.", inner);
}
