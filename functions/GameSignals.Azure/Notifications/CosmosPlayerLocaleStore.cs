using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>Players' languages in the Cosmos container <c>locales</c> (partition <c>/id</c>), one item per (game, user).</summary>
public sealed class CosmosPlayerLocaleStore : IPlayerLocaleStore
{
    public const string ContainerName = "locales";

    private readonly Container _container;

    public CosmosPlayerLocaleStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/id");

    public static string IdFor(string gameId, string userId) => "player-" + CosmosItems.HashId(gameId, userId);

    public async ValueTask<PlayerLocale?> GetAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        var id = IdFor(gameId, userId);
        var found = await CosmosItems.ReadAsync(_container, id, new PartitionKey(id), NotificationsAzureJson.Default.LocaleItem, cancellationToken).ConfigureAwait(false);
        return found is { Item: var item } ? new PlayerLocale(item.Language, item.Time) : null;
    }

    public async ValueTask SetAsync(string gameId, string userId, PlayerLocale locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locale);
        var id = IdFor(gameId, userId);
        var item = new LocaleItem(id, gameId, userId, locale.Language, locale.Time);

        // The game hub's partitions write only when a language changes, mostly a player's first: try the create alone
        // first (one request); one that exists is replaced unless it comes from a later session.
        if (await CosmosItems.CreateAsync(_container, item, new PartitionKey(id), NotificationsAzureJson.Default.LocaleItem, cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        await CosmosItems.UpdateAsync(_container, id, new PartitionKey(id), NotificationsAzureJson.Default.LocaleItem,
            current => current is { Time: var time } && time > locale.Time ? null : item, cancellationToken).ConfigureAwait(false);
    }
}

internal sealed record LocaleItem(string Id, string GameId, string UserId, string Language, DateTimeOffset Time);
