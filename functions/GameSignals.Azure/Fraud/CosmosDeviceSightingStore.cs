using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Fraud;

/// <summary>
/// Device sightings in the Cosmos container <c>devicesightings</c> (partitioned by <c>/id</c>, TTL on): one item per
/// (game, IP bucket), so a login is one patch that appends it and gives the bucket back. As in
/// <see cref="InMemoryDeviceSightingStore"/>, the retention runs in event time (sightings further than it behind the
/// bucket's newest are left out, and pruned); the item's own TTL removes buckets that saw no login for that long.
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

    public async ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, List<DeviceSighting> window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        window.Clear();
        var id = CosmosItems.HashId(gameId, ipBucket);
        var key = new PartitionKey(id);
        var ttl = (int)Math.Ceiling(_retention.TotalSeconds);

        // One request: the sighting appended and the TTL renewed in place, the bucket given back as the patch left it.
        // Concurrent logins from other partitions append without racing; repeats (a redelivered login) and sightings
        // behind the retention are left out when the bucket is read, and pruned from the item once they pile up.
        using var patched = await _container.PatchItemStreamAsync(id, key, [PatchOperation.Add("/sightings/-", sighting), PatchOperation.Set("/ttl", ttl)], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (patched.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The bucket's first login: a create alone, unless another partition created it meanwhile.
            var created = new DeviceSightingsItem(id, gameId, ipBucket, [sighting], ttl);
            window.AddRange(await CosmosItems.CreateAsync(_container, created, key, FraudCosmosJson.Default.DeviceSightingsItem, cancellationToken).ConfigureAwait(false) is not null
                ? created.Sightings
                : Near(await RewriteAsync(id, gameId, ipBucket, sighting, ttl, cancellationToken).ConfigureAwait(false), sighting, near));
            return;
        }

        patched.EnsureSuccessStatusCode();
        var item = await JsonSerializer.DeserializeAsync(patched.Content, FraudCosmosJson.Default.DeviceSightingsItem, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The device sighting bucket {id} came back empty.");
        var kept = Kept(item.Sightings);
        if (item.Sightings.Count > (2 * kept.Count) + PruneSlack)
        {
            await RewriteAsync(id, gameId, ipBucket, sighting, ttl, cancellationToken).ConfigureAwait(false);
        }

        window.AddRange(Near(kept, sighting, near));
    }

    private static IEnumerable<DeviceSighting> Near(IEnumerable<DeviceSighting> sightings, DeviceSighting sighting, TimeSpan near) =>
        sightings.Where(s => DeviceSighting.IsNear(s.Time, sighting.Time, near));

    /// <summary>Sightings an item may hold beyond twice those it keeps before it is rewritten without them.</summary>
    private const int PruneSlack = 32;

    /// <summary>The bucket's sightings once each, without those further than the retention behind its newest.</summary>
    private List<DeviceSighting> Kept(IEnumerable<DeviceSighting> sightings)
    {
        var distinct = sightings.DistinctBy(s => (s.Source, s.EventId)).ToList();
        if (distinct.Count == 0)
        {
            return distinct;
        }

        var horizon = distinct.Max(s => s.Time) - _retention;
        return distinct.FindAll(s => s.Time >= horizon);
    }

    /// <summary>Creates the bucket, or rewrites it with only what it keeps (read, then replace under its ETag).</summary>
    private async ValueTask<IReadOnlyList<DeviceSighting>> RewriteAsync(string id, string gameId, string ipBucket, DeviceSighting sighting, int ttl, CancellationToken cancellationToken)
    {
        var stored = await CosmosItems.UpdateAsync(_container, id, new PartitionKey(id), FraudCosmosJson.Default.DeviceSightingsItem, item =>
        {
            var kept = Kept([.. item?.Sightings ?? [], sighting]);
            return new DeviceSightingsItem(id, gameId, ipBucket, kept, ttl);
        }, cancellationToken).ConfigureAwait(false);
        return stored?.Sightings ?? [];
    }
}
