using System.Runtime.CompilerServices;
using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Profiles;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Profiles;

/// <summary>
/// Player profiles in the Cosmos container <c>profiles</c>: hierarchical partition key <c>/gameId</c>, <c>/userId</c>
/// (as infra declares it, see <c>infra/modules/cosmos.bicep</c>), item id the user id, the profile nested under
/// <c>profile</c>. A game's profiles spread over many physical partitions, and a game is still one prefix to query.
/// </summary>
/// <remarks>
/// Point reads and writes only on the hot path: create (409 = someone created it first) and replace with
/// If-Match (412 = someone wrote since the read), both surfacing as <see cref="ProfileConcurrencyException"/>
/// so the stage re-reads and re-applies. Listing a game is a query targeted at the game's partition, with the
/// game also in WHERE (the local stand-in ignores the partition key header of a query).
/// </remarks>
public sealed class CosmosProfileStore : IProfileStore
{
    public const string ContainerName = "profiles";

    private readonly Container _container;

    public CosmosProfileStore(CosmosClient client, IOptions<CosmosOptions> options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
    }

    public static CosmosContainerSpec ContainerSpec { get; } = new(ContainerName, ["/gameId", "/userId"]);

    public async ValueTask<StoredProfile?> GetAsync(string gameId, string userId, CancellationToken cancellationToken) =>
        await CosmosItems.ReadAsync(_container, userId, KeyOf(gameId, userId), ProfilesCosmosJson.Default.ProfileItem, cancellationToken).ConfigureAwait(false) is { } read
            ? new StoredProfile(read.Item.Profile, read.ETag)
            : null;

    public async ValueTask<StoredProfile> CreateAsync(PlayerProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var etag = await CosmosItems.CreateAsync(_container, ItemOf(profile), KeyOf(profile.GameId, profile.UserId), ProfilesCosmosJson.Default.ProfileItem, cancellationToken).ConfigureAwait(false)
            ?? throw new ProfileConcurrencyException($"Profile {profile.GameId}/{profile.UserId} already exists.");
        return new StoredProfile(profile, etag);
    }

    public async ValueTask<StoredProfile> ReplaceAsync(PlayerProfile profile, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        // Gone since the read (404) is, to the stage, a lost race like 412.
        var etag = await CosmosItems.ReplaceAsync(
            _container, profile.UserId, ItemOf(profile), KeyOf(profile.GameId, profile.UserId), ProfilesCosmosJson.Default.ProfileItem, ifMatch, cancellationToken).ConfigureAwait(false)
            ?? throw new ProfileConcurrencyException($"Profile {profile.GameId}/{profile.UserId} changed since ETag {ifMatch}.");
        return new StoredProfile(profile, etag);
    }

    public async IAsyncEnumerable<PlayerProfile> ListByGameAsync(string gameId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.gameId = @gameId").WithParameter("@gameId", gameId);
        using var pages = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(gameId).Build() });
        while (pages.HasMoreResults)
        {
            using var response = await pages.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var page = await JsonSerializer.DeserializeAsync(response.Content, ProfilesCosmosJson.Default.ProfilePage, cancellationToken).ConfigureAwait(false);
            foreach (var item in page?.Documents ?? [])
            {
                yield return item.Profile;
            }
        }
    }

    private static PartitionKey KeyOf(string gameId, string userId) => new PartitionKeyBuilder().Add(gameId).Add(userId).Build();

    private static ProfileItem ItemOf(PlayerProfile profile) => new(profile.UserId, profile.GameId, profile.UserId, profile);
}

/// <summary>One profile as stored: id and partition key at the top (userId for the container's unique key), the profile beside them.</summary>
internal sealed record ProfileItem(string Id, string GameId, string UserId, PlayerProfile Profile);

/// <summary>A page of a query's stream response.</summary>
internal sealed record ProfilePage(IReadOnlyList<ProfileItem> Documents);
