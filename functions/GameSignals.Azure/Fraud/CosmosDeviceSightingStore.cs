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

    public async ValueTask<IReadOnlyList<DeviceSighting>> AddAsync(string gameId, string ipBucket, DeviceSighting sighting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        var id = CosmosItems.HashId(gameId, ipBucket);
        var ttl = (int)Math.Ceiling(_retention.TotalSeconds);
        var stored = await CosmosItems.UpdateAsync(_container, id, new PartitionKey(id), FraudCosmosJson.Default.DeviceSightingsItem, item =>
        {
            if (item is null)
            {
                return new DeviceSightingsItem(id, gameId, ipBucket, sighting.Time, [sighting], ttl);
            }

            if (sighting.Time < item.Newest - _retention
                || item.Sightings.Exists(s => s.Source == sighting.Source && s.EventId == sighting.EventId))
            {
                return null;
            }

            var newest = sighting.Time > item.Newest ? sighting.Time : item.Newest;
            List<DeviceSighting> kept = [.. item.Sightings.Where(s => s.Time >= newest - _retention), sighting];
            return item with { Newest = newest, Sightings = kept, Ttl = ttl };
        }, cancellationToken).ConfigureAwait(false);
        return stored?.Sightings ?? [];
    }
}
