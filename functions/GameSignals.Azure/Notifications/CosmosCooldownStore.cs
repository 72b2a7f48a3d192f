using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Cooldowns in the Cosmos container <c>cooldowns</c> (partition <c>/id</c>), one item per key. Each lives
/// its cooldown plus a day (the in-memory store's grace for a lagging partition, since TTL runs in wall-clock time).
/// </summary>
public sealed class CosmosCooldownStore : ICooldownStore
{
    public const string ContainerName = "cooldowns";

    private static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private readonly Container _container;

    public CosmosCooldownStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/id", -1);

    /// <summary>An active rule's cooldown keeps the id it had before shadow rules existed; a shadow rule's hashes one more part.</summary>
    public static string IdFor(CooldownKey key) =>
        key.Shadow ? CosmosItems.HashId(key.GameId, key.RuleId, key.KeyValue, "shadow") : CosmosItems.HashId(key.GameId, key.RuleId, key.KeyValue);

    public async ValueTask<CooldownRecord?> GetAsync(CooldownKey key, CancellationToken cancellationToken)
    {
        var id = IdFor(key);
        if (await CosmosItems.ReadAsync(_container, id, new PartitionKey(id), NotificationsAzureJson.Default.CooldownItem, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return null;
        }

        var item = found.Item;
        return new CooldownRecord(key, item.NotificationId, item.OpenedAt, item.ExpiresAt, found.ETag);
    }

    public async ValueTask<bool> TryWriteAsync(CooldownRecord record, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = IdFor(record.Key);
        var ttl = (int)Math.Min(int.MaxValue, Math.Ceiling((record.ExpiresAt - record.OpenedAt + Grace).TotalSeconds)); // a cooldown of years would overflow
        var item = new CooldownItem(id, record.Key.GameId, record.Key.RuleId, record.Key.KeyValue, record.NotificationId, record.OpenedAt, record.ExpiresAt, ttl);
        var written = ifMatch is null
            ? await CosmosItems.CreateAsync(_container, item, new PartitionKey(id), NotificationsAzureJson.Default.CooldownItem, cancellationToken).ConfigureAwait(false)
            : await CosmosItems.ReplaceAsync(_container, id, item, new PartitionKey(id), NotificationsAzureJson.Default.CooldownItem, ifMatch, cancellationToken).ConfigureAwait(false);
        return written is not null;
    }
}

internal sealed record CooldownItem(
    string Id, string GameId, string RuleId, string KeyValue, string NotificationId, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt, int Ttl);
