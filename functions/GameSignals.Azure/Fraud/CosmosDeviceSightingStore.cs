using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Device sightings in the Cosmos container <c>devicesightings</c> (partitioned by <c>/id</c>, TTL on): one item per
/// (game, IP bucket), so a login is one point read and one ETag-guarded replace. As in
/// <see cref="InMemoryDeviceSightingStore"/>, the retention runs in event time (sightings further than it behind the
/// bucket's newest are pruned); the item's own TTL removes buckets that saw no login for that long.
/// </summary>
public sealed class CosmosDeviceSightingStore : IDeviceSightingStore
{
    public const string ContainerName = "devicesightings";

    private readonly Container _container;
    private readonly TimeSpan _retention;

    public CosmosDeviceSightingStore(CosmosClient client, IOptions<CosmosOptions> options, IOptions<FraudOptions> fraudOptions)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fraudOptions);
        _container = client.GetContainer(options.Value.Database, ContainerName);
        _retention = fraudOptions.Value.SightingRetention;
    }

    /// <summary>TTL on without a default: each item carries its own.</summary>
    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, "/id", -1);

    public async ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        var id = FraudCosmosItems.HashId(gameId, ipBucket);
        var partitionKey = new PartitionKey(id);
        var ttl = (int)Math.Ceiling(_retention.TotalSeconds);
        for (var attempt = 0; attempt < FraudCosmosItems.MaxAttempts; attempt++)
        {
            var (item, etag) = await FraudCosmosItems.ReadAsync(_container, id, partitionKey, FraudCosmosJson.Default.DeviceSightingsItem, cancellationToken)
                .ConfigureAwait(false);
            if (item is null)
            {
                var created = new DeviceSightingsItem(id, gameId, ipBucket, sighting.Time, [sighting], ttl);
                if (await FraudCosmosItems.CreateAsync(_container, Serialize(created), partitionKey, cancellationToken).ConfigureAwait(false) is not null)
                {
                    return;
                }

                continue;
            }

            if (sighting.Time < item.Newest - _retention
                || item.Sightings.Exists(s => s.Source == sighting.Source && s.EventId == sighting.EventId))
            {
                return;
            }

            var newest = sighting.Time > item.Newest ? sighting.Time : item.Newest;
            List<DeviceSighting> kept = [.. item.Sightings.Where(s => s.Time >= newest - _retention), sighting];
            var replaced = item with { Newest = newest, Sightings = kept, Ttl = ttl };
            if (await FraudCosmosItems.ReplaceAsync(_container, id, Serialize(replaced), partitionKey, etag!, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        throw new InvalidOperationException($"The sightings of bucket {ipBucket} of game {gameId} kept changing; the login was not recorded.");
    }

    public async ValueTask<IReadOnlyList<DeviceSighting>> FindAsync(
        string gameId, string ipBucket, DateTimeOffset earliest, DateTimeOffset latest, CancellationToken cancellationToken)
    {
        var id = FraudCosmosItems.HashId(gameId, ipBucket);
        var (item, _) = await FraudCosmosItems.ReadAsync(_container, id, new PartitionKey(id), FraudCosmosJson.Default.DeviceSightingsItem, cancellationToken)
            .ConfigureAwait(false);
        return item is null ? [] : [.. item.Sightings.Where(s => s.Time >= earliest && s.Time <= latest)];
    }

    private static byte[] Serialize(DeviceSightingsItem item) => JsonSerializer.SerializeToUtf8Bytes(item, FraudCosmosJson.Default.DeviceSightingsItem);
}
