using System.Globalization;
using System.Net;
using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Notifications;

/// <summary>
/// Notifications in the Cosmos container <c>notifications</c> (partition <c>/userId</c>), each item living
/// <see cref="Notification.Ttl"/> seconds. Create treats 409 as done; the flags are set by ETag-guarded
/// replace (read, change, replace If-Match, again on 412), as the stand-in serves no patch.
/// </summary>
public sealed class CosmosNotificationStore : INotificationStore
{
    public const string ContainerName = "notifications";

    private const string InboxFilter = "c.userId = @userId AND c.gameId = @gameId AND ARRAY_CONTAINS(c.channels, 'inbox')";

    private readonly Container _container;

    public CosmosNotificationStore(CosmosClient client, IOptions<CosmosOptions> options) => _container = CosmosItems.Container(client, options, ContainerName);

    /// <summary>TTL on, each item with its own (the notification's <c>ttl</c>).</summary>
    public static CosmosContainerSpec ContainerSpec() => new(ContainerName, "/userId", -1);

    public async ValueTask<(Notification Stored, bool Created)> CreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);

        // UTC, so that the inbox's ORDER BY on the ISO text is the order in time.
        var item = notification with { Time = notification.Time.ToUniversalTime() };
        if (await CosmosItems.CreateAsync(_container, item, Key(item.UserId), NotificationsJsonContext.Default.Notification, cancellationToken).ConfigureAwait(false) is not null)
        {
            return (item, true);
        }

        var existing = await GetAsync(item.UserId, item.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Notification {item.Id} conflicted on create but cannot be read; the batch will be retried.");
        return (existing, false);
    }

    public async ValueTask<Notification?> GetAsync(string userId, string id, CancellationToken cancellationToken) =>
        (await CosmosItems.ReadAsync(_container, id, Key(userId), NotificationsJsonContext.Default.Notification, cancellationToken).ConfigureAwait(false))?.Item;

    /// <summary>One patch, no read: setting the mark again changes nothing, and a missing notification has nothing to mark.</summary>
    public async ValueTask MarkPushEnqueuedAsync(string userId, string id, CancellationToken cancellationToken)
    {
        using var response = await _container.PatchItemStreamAsync(id, Key(userId), [PatchOperation.Set("/pushEnqueued", true)], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public ValueTask<bool> MarkPushDeliveredAsync(string userId, string id, CancellationToken cancellationToken) =>
        UpdateAsync(userId, id, n => n.PushDelivered ? null : n with { PushDelivered = true }, cancellationToken);

    public ValueTask<bool> MarkReadAsync(string userId, string id, CancellationToken cancellationToken) =>
        UpdateAsync(userId, id, n => n.Read ? null : n with { Read = true }, cancellationToken);

    public async ValueTask<InboxPage> ListInboxAsync(string gameId, string userId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var page = new QueryDefinition($"SELECT * FROM c WHERE {InboxFilter} ORDER BY c.time DESC").WithParameter("@userId", userId).WithParameter("@gameId", gameId);
        var options = new QueryRequestOptions { PartitionKey = Key(userId), MaxItemCount = pageSize };
        var items = new List<Notification>();
        string? next;
        try
        {
            using var iterator = _container.GetItemQueryStreamIterator(page, continuationToken, options);
            using var response = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
            {
                throw BadToken(continuationToken);
            }

            response.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var element in document.RootElement.GetProperty("Documents").EnumerateArray())
            {
                items.Add(element.Deserialize(NotificationsJsonContext.Default.Notification)!);
            }

            next = items.Count == 0 ? null : response.ContinuationToken;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw BadToken(continuationToken);
        }

        var count = new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {InboxFilter} AND c.read = false").WithParameter("@userId", userId).WithParameter("@gameId", gameId);
        var unread = 0;
        using (var iterator = _container.GetItemQueryIterator<int>(count, requestOptions: new QueryRequestOptions { PartitionKey = Key(userId) }))
        {
            while (iterator.HasMoreResults)
            {
                unread += (await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false)).Sum();
            }
        }

        return new InboxPage(items, next, unread);
    }

    private static ArgumentException BadToken(string continuationToken) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The continuation token ({continuationToken.Length} characters) is not one this inbox returned."), nameof(continuationToken));

    /// <summary>Applies <paramref name="change"/> (null: nothing to change) with an ETag-guarded replace. False when there is no such notification.</summary>
    private async ValueTask<bool> UpdateAsync(string userId, string id, Func<Notification, Notification?> change, CancellationToken cancellationToken)
    {
        return await CosmosItems.UpdateAsync(
            _container, id, Key(userId), NotificationsJsonContext.Default.Notification, n => n is null ? null : change(n), cancellationToken).ConfigureAwait(false) is not null;
    }

    private static PartitionKey Key(string userId) => new(userId);
}
