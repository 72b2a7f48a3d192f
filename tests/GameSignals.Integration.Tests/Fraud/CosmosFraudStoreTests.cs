using System.Text.Json;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Fraud;
using GameSignals.Fraud;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.Fraud;

/// <summary>The Cosmos fraud stores against the stand-in, with the semantics of their in-memory twins; a database per test class run.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosFraudStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosFlagStore _flags;
    private readonly CosmosDeviceSightingStore _sightings;
    private readonly CosmosReceiptUseStore _receipts;
    private readonly CosmosFraudConfigStore _configs;

    public CosmosFraudStoreTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        var options = Options.Create(_options);
        _flags = new CosmosFlagStore(_client, options);
        _sightings = new CosmosDeviceSightingStore(_client, options, Options.Create(new FraudOptions { SightingRetention = TimeSpan.FromHours(1) }));
        _receipts = new CosmosReceiptUseStore(_client, options);
        _configs = new CosmosFraudConfigStore(_client, options);
    }

    public Task InitializeAsync() => CosmosSetup.EnsureResourcesAsync(
        _client, _options.Database,
        [CosmosFlagStore.ContainerSpec, CosmosDeviceSightingStore.ContainerSpec, CosmosReceiptUseStore.ContainerSpec, CosmosFraudConfigStore.ContainerSpec],
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task A_flag_is_created_once_and_read_back_whole()
    {
        var flag = Flag("e1", "u1", FraudReasons.ClientTampered, T0);

        Assert.True(await _flags.CreateAsync(flag, CancellationToken.None));
        Assert.False(await _flags.CreateAsync(flag with { UserId = "someone-else" }, CancellationToken.None));

        var read = await _flags.GetAsync("odin", flag.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(flag.ToJson(), read.ToJson());
        Assert.Null(await _flags.GetAsync("ares", flag.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_query_filters_by_game_user_reason_status_and_time_and_pages_in_event_time_order()
    {
        // Offsets differ on purpose: order and bounds are by the instant, not by the text.
        var flags = new[]
        {
            Flag("e1", "u1", FraudReasons.ClientTampered, T0),
            Flag("e2", "u1", FraudReasons.ClientTampered, new DateTimeOffset(2026, 11, 1, 21, 0, 1, TimeSpan.FromHours(9))),
            Flag("e3", "u2", FraudReasons.ClientTampered, T0.AddSeconds(2)),
            Flag("e4", "u1", FraudReasons.DeviceFarm, T0.AddSeconds(3)),
            Flag("e5", "u1", FraudReasons.ClientTampered, T0.AddSeconds(4)),
            Flag("e6", "u1", FraudReasons.ClientTampered, T0.AddSeconds(5)) with { GameId = "ares" },
        };
        foreach (var flag in flags)
        {
            await _flags.CreateAsync(flag, CancellationToken.None);
        }

        await _flags.ReviewAsync("odin", flags[4].Id, new FlagReview(FlagStatus.Dismissed, "ok", "ops", T0), CancellationToken.None);

        var query = new FlagQuery { GameId = "odin", UserId = "u1", Reason = FraudReasons.ClientTampered, Status = FlagStatus.Open, PageSize = 1 };
        var first = await _flags.QueryAsync(query, CancellationToken.None);
        Assert.Equal(["e1"], first.Flags.Select(f => f.EventId));
        Assert.NotNull(first.ContinuationToken);
        var second = await _flags.QueryAsync(query with { ContinuationToken = first.ContinuationToken }, CancellationToken.None);
        Assert.Equal(["e2"], second.Flags.Select(f => f.EventId));
        var rest = second.ContinuationToken is null ? [] : (await _flags.QueryAsync(query with { ContinuationToken = second.ContinuationToken }, CancellationToken.None)).Flags;
        Assert.Empty(rest);

        var window = await _flags.QueryAsync(new FlagQuery { GameId = "odin", From = T0.AddSeconds(1), To = T0.AddSeconds(4) }, CancellationToken.None);
        Assert.Equal(["e2", "e3", "e4"], window.Flags.Select(f => f.EventId));
        Assert.Null(window.ContinuationToken);
    }

    [Fact]
    public async Task A_continuation_token_the_store_did_not_give_is_an_argument_error()
    {
        await _flags.CreateAsync(Flag("e1", "u1", FraudReasons.ClientTampered, T0), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            _flags.QueryAsync(new FlagQuery { GameId = "odin", ContinuationToken = "not-a-token" }, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_review_records_who_when_and_why_and_marking_published_keeps_it()
    {
        var flag = Flag("e1", "u1", FraudReasons.BlockedRange, T0);
        await _flags.CreateAsync(flag, CancellationToken.None);

        var reviewed = await _flags.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Resolved, "banned", "alice", T0.AddHours(1)), CancellationToken.None);
        await _flags.MarkActionPublishedAsync("odin", flag.Id, CancellationToken.None);

        Assert.Equal((FlagStatus.Resolved, "banned", "alice", T0.AddHours(1)), (reviewed!.Status, reviewed.Comment, reviewed.ResolvedBy, reviewed.ResolvedAt));
        var read = await _flags.GetAsync("odin", flag.Id, CancellationToken.None);
        Assert.Equal((FlagStatus.Resolved, "alice", true), (read!.Status, read.ResolvedBy, read.ActionPublished));
        Assert.Null(await _flags.ReviewAsync("odin", "0000", new FlagReview(FlagStatus.Dismissed, null, "alice", T0), CancellationToken.None));
    }

    [Fact]
    public async Task Evidence_is_replaced_only_where_the_stored_flag_says_the_new_one_supersedes_it()
    {
        var flag = Flag("e1", "u1", FraudReasons.DeviceFarm, T0);
        await _flags.CreateAsync(flag, CancellationToken.None);
        static JsonElement Devices(int count) => JsonSerializer.SerializeToElement(new { distinctDevices = count });
        static bool MoreDevices(JsonElement stored, JsonElement raised) =>
            raised.GetProperty("distinctDevices").GetInt32() > (stored.TryGetProperty("distinctDevices", out var held) ? held.GetInt32() : -1);

        await _flags.ReplaceEvidenceAsync("odin", flag.Id, Devices(25), MoreDevices, CancellationToken.None);
        await _flags.ReplaceEvidenceAsync("odin", flag.Id, Devices(22), MoreDevices, CancellationToken.None); // an older read, written last

        var read = await _flags.GetAsync("odin", flag.Id, CancellationToken.None);
        Assert.Equal(25, read!.Evidence.GetProperty("distinctDevices").GetInt32());
    }

    [Fact]
    public async Task Of_two_reviews_at_the_same_moment_exactly_one_lands_and_the_other_sees_it()
    {
        var flag = Flag("e1", "u1", FraudReasons.DeviceFarm, T0);
        await _flags.CreateAsync(flag, CancellationToken.None);

        var reviews = await Task.WhenAll(
            _flags.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Resolved, "banned", "alice", T0.AddHours(1)), CancellationToken.None).AsTask(),
            _flags.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Dismissed, "false alarm", "bob", T0.AddHours(1)), CancellationToken.None).AsTask());

        var stored = await _flags.GetAsync("odin", flag.Id, CancellationToken.None);
        Assert.True(stored!.ResolvedBy is "alice" or "bob", stored.ResolvedBy);
        Assert.All(reviews, r => Assert.Equal((stored.Status, stored.ResolvedBy, stored.Comment), (r!.Status, r.ResolvedBy, r.Comment)));
    }

    [Fact]
    public async Task Sightings_are_kept_once_per_event_and_forgotten_behind_the_retention_in_event_time()
    {
        await AddSightingAsync("odin", "2001:db8::/64", Sighting("e1", "d1", T0), TimeSpan.FromDays(1), CancellationToken.None);
        await AddSightingAsync("odin", "2001:db8::/64", Sighting("e1", "d1", T0), TimeSpan.FromDays(1), CancellationToken.None);
        var all = await AddSightingAsync("odin", "2001:db8::/64", Sighting("e2", "d2", T0.AddMinutes(30)), TimeSpan.FromDays(1), CancellationToken.None);
        await AddSightingAsync("ares", "2001:db8::/64", Sighting("e9", "d9", T0), TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal(["e1", "e2"], all.Select(s => s.EventId).Order(StringComparer.Ordinal));

        await AddSightingAsync("odin", "2001:db8::/64", Sighting("e3", "d3", T0.AddMinutes(90)), TimeSpan.FromDays(1), CancellationToken.None);
        var left = await AddSightingAsync("odin", "2001:db8::/64", Sighting("late", "d4", T0.AddMinutes(10)), TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal(["e2", "e3"], left.Select(s => s.EventId).Order(StringComparer.Ordinal));

        // A login's check reads only the sightings less than its window before or after it.
        var near = await AddSightingAsync("odin", "2001:db8::/64", Sighting("e4", "d4", T0.AddMinutes(95)), TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.Equal(["e3", "e4"], near.Select(s => s.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Logins_recorded_at_once_from_many_instances_are_all_kept()
    {
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            AddSightingAsync("odin", "198.51.100.9", Sighting($"c{i:00}", $"d{i}", T0.AddSeconds(i)), TimeSpan.FromDays(1), CancellationToken.None)));

        // Adding one of them again changes nothing and gives back the bucket as stored.
        var found = await AddSightingAsync("odin", "198.51.100.9", Sighting("c00", "d0", T0), TimeSpan.FromDays(1), CancellationToken.None);
        Assert.Equal(12, found.Select(s => s.DeviceId).Distinct().Count());
    }

    [Fact]
    public async Task Sighting_buckets_expire_by_the_containers_per_item_ttl()
    {
        await AddSightingAsync("odin", "10.0.0.1", Sighting("e1", "d1", T0), TimeSpan.FromDays(1), CancellationToken.None);

        var container = await _client.GetContainer(_options.Database, CosmosDeviceSightingStore.ContainerName).ReadContainerAsync();
        using var items = await _client.GetContainer(_options.Database, CosmosDeviceSightingStore.ContainerName)
            .ReadItemStreamAsync(Hash("odin", "10.0.0.1"), new PartitionKey(Hash("odin", "10.0.0.1")));
        using var item = await JsonDocument.ParseAsync(items.Content);

        Assert.Equal(-1, container.Resource.DefaultTimeToLive);
        Assert.Equal(3600, item.RootElement.GetProperty("ttl").GetInt32());
    }

    [Fact]
    public async Task Receipt_uses_are_created_once_and_replaced_only_with_the_current_etag()
    {
        var use = new ReceiptUse("odin", "u1", "/games/odin", "e1", T0);
        Assert.Null(await _receipts.GetAsync("google_play", "GPA.1/2?#", CancellationToken.None));
        Assert.True(await _receipts.TryCreateAsync(new ReceiptUses("google_play", "GPA.1/2?#", [use]), CancellationToken.None));
        Assert.False(await _receipts.TryCreateAsync(new ReceiptUses("google_play", "GPA.1/2?#", []), CancellationToken.None));

        var stored = await _receipts.GetAsync("google_play", "GPA.1/2?#", CancellationToken.None);
        var second = new ReceiptUse("odin", "u2", "/games/odin", "e2", T0.AddSeconds(1));
        Assert.True(await _receipts.TryReplaceAsync(stored! with { Uses = [use, second] }, stored!.ETag!, CancellationToken.None));
        Assert.False(await _receipts.TryReplaceAsync(stored with { Uses = [use] }, stored.ETag!, CancellationToken.None));

        Assert.Equal([use, second], (await _receipts.GetAsync("google_play", "GPA.1/2?#", CancellationToken.None))!.Uses);
    }

    [Fact]
    public async Task Fraud_settings_are_saved_read_with_their_etag_and_a_stale_etag_changes_nothing()
    {
        var config = FraudConfigLoader.ParseGame("""{"blockCloudProviders":true,"deviceFarm":{"maxDevicesPerIp":3,"window":"PT10M"},"catalog":{"gem":{"USD":0.99}}}"""u8);
        Assert.Null(await _configs.GetAsync("odin", CancellationToken.None));
        Assert.Null(await _configs.SaveAsync("odin", config, "\"stale\"", CancellationToken.None));

        var first = await _configs.SaveAsync("odin", config, null, CancellationToken.None);
        var changed = FraudConfigLoader.ParseGame("""{"blockCloudProviders":false,"deviceFarm":{"maxDevicesPerIp":5,"window":"PT5M"}}"""u8);
        var second = await _configs.SaveAsync("odin", changed, first, CancellationToken.None);
        Assert.NotNull(second);
        Assert.Null(await _configs.SaveAsync("odin", config, first, CancellationToken.None));

        var stored = await _configs.GetAsync("odin", CancellationToken.None);
        Assert.Equal((second, false, 5), (stored!.ETag, stored.Config.BlockCloudProviders, stored.Config.DeviceFarm!.MaxDevicesPerIp));
        Assert.Null(await _configs.GetAsync("ares", CancellationToken.None));
        await _configs.SaveAsync("ares", config, null, CancellationToken.None);
        Assert.Equal(0.99m, (await _configs.GetAsync("ares", CancellationToken.None))!.Config.Catalog!["gem"]["USD"]);
    }

    internal static FraudFlag Flag(string eventId, string userId, string reason, DateTimeOffset time) => new()
    {
        Id = FraudFlag.IdFor(reason, "/games/odin/kr-01", eventId),
        Reason = reason,
        Severity = FraudReasons.DefaultSeverities[reason],
        GameId = "odin",
        UserId = userId,
        Source = "/games/odin/kr-01",
        EventId = eventId,
        Time = time,
        Evidence = JsonDocument.Parse("""{"ip":"203.0.113.7","matches":[{"cidr":"203.0.113.0/24"}]}""").RootElement,
    };

    /// <summary>Records the sighting; the window the store gives back.</summary>
    private async Task<List<DeviceSighting>> AddSightingAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, CancellationToken cancellationToken)
    {
        var window = new List<DeviceSighting>();
        await _sightings.AddAsync(gameId, ipBucket, sighting, near, window, cancellationToken);
        return window;
    }

    private static DeviceSighting Sighting(string eventId, string device, DateTimeOffset time) => new("/games/odin/kr-01", eventId, "u-" + eventId, device, time);

    private static string Hash(string a, string b) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a + "\n" + b)));
}
