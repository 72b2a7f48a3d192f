using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Azure.Cosmos;
using GameSignals.Experiments;
using GameSignals.Stats;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Stats;

/// <summary>
/// Stats settings in the Cosmos container <c>statssettings</c>, partitioned by <c>/gameId</c>: one item per game with the
/// fixed id <see cref="ItemId"/>, holding the settings' JSON at top level, as the fraud settings are kept.
/// </summary>
public sealed class CosmosStatsSettingsStore(CosmosClient client, IOptions<CosmosOptions> options) : IStatsSettingsStore
{
    public const string ContainerName = "statssettings";
    public const string ItemId = "stats";

    private readonly Container _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/gameId");

    public async ValueTask<StoredStatsSettings?> GetAsync(string gameId, CancellationToken cancellationToken)
    {
        var found = await CosmosItems.ReadAsync(_container, ItemId, new PartitionKey(gameId), StatsCosmosJson.Default.GameStatsSettings, cancellationToken).ConfigureAwait(false);
        return found is { Item: var settings, ETag: var etag } ? new StoredStatsSettings(gameId, settings, etag) : null;
    }

    public async ValueTask<string?> SaveAsync(string gameId, GameStatsSettings settings, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        ArgumentNullException.ThrowIfNull(settings);
        var item = JsonSerializer.SerializeToNode(settings, StatsCosmosJson.Default.GameStatsSettings)!.AsObject();
        item["id"] = ItemId;
        item["gameId"] = gameId;
        var (_, etag) = await CosmosItems.WriteAsync(
            _container, ItemId, item, new PartitionKey(gameId), StatsCosmosJson.Default.JsonObject, ifMatch, upsert: ifMatch is null, cancellationToken).ConfigureAwait(false);
        return etag;
    }
}

/// <summary>
/// The partitions' experiment counts in the container <c>experimentcounts</c>, partitioned by <c>/gameId</c>: one item per
/// experiment, hub and partition (id <c>experiment|hub|partition</c>), upserted on the flush cadence (once per hour of event
/// time per partition), read by one single-partition query per admin call.
/// </summary>
public sealed class CosmosExperimentResultsStore(CosmosClient client, IOptions<CosmosOptions> options) : IExperimentResultsStore
{
    public const string ContainerName = "experimentcounts";

    private readonly Container _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/gameId");

    public async ValueTask UpsertAsync(ExperimentPartitionCounts counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        await CosmosItems.WriteAsync(
            _container, counts.Id, counts, new PartitionKey(counts.GameId), StatsCosmosJson.Default.ExperimentPartitionCounts, null, upsert: true, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ExperimentPartitionCounts>> ListAsync(string gameId, string experimentId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.gameId = @gameId AND c.experimentId = @experimentId")
            .WithParameter("@gameId", gameId).WithParameter("@experimentId", experimentId);
        var found = new List<ExperimentPartitionCounts>();
        await foreach (var counts in CosmosItems.QueryAllAsync(_container, query, new PartitionKey(gameId), StatsCosmosJson.Default.ExperimentPartitionCounts, cancellationToken)
            .ConfigureAwait(false))
        {
            found.Add(counts);
        }

        return found;
    }
}

/// <summary>
/// Control players' "would have received" log in the container <c>wouldhavereceived</c>, partitioned by <c>/userId</c> like
/// the inboxes: the record under the notification's id, created once (a conflict is a redelivery), living as long as an
/// inbox's notification (its <c>ttl</c>).
/// </summary>
public sealed class CosmosWouldHaveReceivedStore(CosmosClient client, IOptions<CosmosOptions> options) : IWouldHaveReceivedStore
{
    public const string ContainerName = "wouldhavereceived";

    private readonly Container _container = CosmosItems.Container(client, options, ContainerName);

    /// <summary>TTL on, each item with its own (the notification's <c>ttl</c>).</summary>
    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/userId", -1);

    public async ValueTask<bool> CreateAsync(WouldHaveReceived record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = JsonSerializer.SerializeToNode(record, StatsCosmosJson.Default.WouldHaveReceived)!.AsObject();
        item["userId"] = record.Notification.UserId;
        item["gameId"] = record.Notification.GameId;
        item["ttl"] = record.Notification.Ttl > 0 ? record.Notification.Ttl : -1;
        return await CosmosItems.CreateAsync(_container, item, new PartitionKey(record.Notification.UserId), StatsCosmosJson.Default.JsonObject, cancellationToken)
            .ConfigureAwait(false) is not null;
    }

    public async ValueTask<WouldHaveReceived?> GetAsync(string userId, string id, CancellationToken cancellationToken) =>
        (await CosmosItems.ReadAsync(_container, id, new PartitionKey(userId), StatsCosmosJson.Default.WouldHaveReceived, cancellationToken).ConfigureAwait(false))?.Item;

    public async ValueTask<IReadOnlyList<WouldHaveReceived>> ListAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.gameId = @gameId ORDER BY c.notification.time").WithParameter("@gameId", gameId);
        var found = new List<WouldHaveReceived>();
        await foreach (var record in CosmosItems.QueryAllAsync(_container, query, new PartitionKey(userId), StatsCosmosJson.Default.WouldHaveReceived, cancellationToken)
            .ConfigureAwait(false))
        {
            found.Add(record);
        }

        return found;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GameStatsSettings))]
[JsonSerializable(typeof(ExperimentPartitionCounts))]
[JsonSerializable(typeof(WouldHaveReceived))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class StatsCosmosJson : JsonSerializerContext;
