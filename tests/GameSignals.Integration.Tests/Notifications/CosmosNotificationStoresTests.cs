using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Notifications;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.Notifications;

/// <summary>The notification capability's Cosmos stores against the stand-in, with the in-memory stores' semantics.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosNotificationStoresTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosNotificationStore _notifications;
    private readonly CosmosPlayerLocaleStore _locales;
    private readonly CosmosRuleStore _rules;

    public CosmosNotificationStoresTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        var options = Options.Create(_options);
        _notifications = new CosmosNotificationStore(_client, options);
        _locales = new CosmosPlayerLocaleStore(_client, options);
        _rules = new CosmosRuleStore(_client, options);
    }

    public Task InitializeAsync() => CosmosSetup.EnsureResourcesAsync(
        _client, _options.Database,
        [CosmosNotificationStore.ContainerSpec(), CosmosPlayerLocaleStore.ContainerSpec(), CosmosRuleStore.ContainerSpec()],
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task Creating_a_notification_again_returns_the_stored_one_unchanged()
    {
        var first = Notification("n1", "u1", Time);
        var (stored, created) = await _notifications.CreateAsync(first, CancellationToken.None);
        await _notifications.MarkPushEnqueuedAsync("u1", "n1", CancellationToken.None);

        var (again, createdAgain) = await _notifications.CreateAsync(first with { Title = "other" }, CancellationToken.None);

        Assert.True(created);
        Assert.Equal(first.Title, stored.Title);
        Assert.False(createdAgain);
        Assert.Equal((first.Title, true), (again.Title, again.PushEnqueued));
    }

    [Fact]
    public async Task A_notification_is_kept_with_its_own_ttl_and_found_only_under_its_user()
    {
        await _notifications.CreateAsync(Notification("n1", "u1", Time) with { Ttl = 3600 }, CancellationToken.None);

        var container = (await _client.GetContainer(_options.Database, CosmosNotificationStore.ContainerName).ReadContainerAsync()).Resource;
        var item = await _client.GetContainer(_options.Database, CosmosNotificationStore.ContainerName)
            .ReadItemAsync<System.Text.Json.JsonElement>("n1", new PartitionKey("u1"));

        Assert.Equal(("/userId", -1), (container.PartitionKeyPath, container.DefaultTimeToLive));
        Assert.Equal(3600, item.Resource.GetProperty("ttl").GetInt32());
        Assert.NotNull(await _notifications.GetAsync("u1", "n1", CancellationToken.None));
        Assert.Null(await _notifications.GetAsync("u2", "n1", CancellationToken.None));
    }

    [Fact]
    public async Task Marking_read_and_delivered_is_idempotent_and_false_for_an_unknown_notification()
    {
        await _notifications.CreateAsync(Notification("n1", "u1", Time), CancellationToken.None);

        Assert.True(await _notifications.MarkReadAsync("u1", "n1", CancellationToken.None));
        Assert.True(await _notifications.MarkReadAsync("u1", "n1", CancellationToken.None));
        Assert.True(await _notifications.MarkPushDeliveredAsync("u1", "n1", CancellationToken.None));
        Assert.False(await _notifications.MarkReadAsync("u1", "missing", CancellationToken.None));
        var stored = await _notifications.GetAsync("u1", "n1", CancellationToken.None);
        Assert.Equal((true, true), (stored!.Read, stored.PushDelivered));
    }

    [Fact]
    public async Task The_inbox_pages_newest_first_counts_unread_and_leaves_out_push_only_other_users_and_other_games()
    {
        for (var i = 0; i < 5; i++)
        {
            await _notifications.CreateAsync(Notification($"n{i}", "u1", Time.AddMinutes(i)), CancellationToken.None);
        }

        await _notifications.CreateAsync(Notification("push-only", "u1", Time.AddHours(1)) with { Channels = ["push"] }, CancellationToken.None);
        await _notifications.CreateAsync(Notification("other", "u2", Time.AddHours(1)), CancellationToken.None);
        await _notifications.CreateAsync(Notification("other-game", "u1", Time.AddHours(1)) with { GameId = "ares" }, CancellationToken.None);
        await _notifications.MarkReadAsync("u1", "n4", CancellationToken.None);

        var first = await _notifications.ListInboxAsync("odin", "u1", 2, null, CancellationToken.None);
        var second = await _notifications.ListInboxAsync("odin", "u1", 2, first.ContinuationToken, CancellationToken.None);
        var third = await _notifications.ListInboxAsync("odin", "u1", 2, second.ContinuationToken, CancellationToken.None);

        Assert.Equal(["n4", "n3"], first.Items.Select(n => n.Id));
        Assert.Equal(["n2", "n1"], second.Items.Select(n => n.Id));
        Assert.Equal(["n0"], third.Items.Select(n => n.Id));
        Assert.Equal(4, first.UnreadCount);
        Assert.NotNull(second.ContinuationToken);
    }

    [Fact]
    public async Task A_continuation_token_the_store_never_gave_is_an_argument_error()
    {
        await _notifications.CreateAsync(Notification("n1", "u1", Time), CancellationToken.None);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => _notifications.ListInboxAsync("odin", "u1", 2, "not-a-token", CancellationToken.None).AsTask());

        Assert.Equal("continuationToken", error.ParamName);
    }

    [Fact]
    public async Task A_players_locale_from_an_earlier_session_does_not_replace_a_later_one()
    {
        await _locales.SetAsync("odin", "u1", new PlayerLocale("ko", Time.AddMinutes(10)), CancellationToken.None);
        await _locales.SetAsync("odin", "u1", new PlayerLocale("en", Time), CancellationToken.None);
        await _locales.SetAsync("odin", "u2", new PlayerLocale("en", Time), CancellationToken.None);
        await _locales.SetAsync("odin", "u2", new PlayerLocale("ja", Time.AddMinutes(1)), CancellationToken.None);

        Assert.Equal("ko", (await _locales.GetAsync("odin", "u1", CancellationToken.None))!.Language);
        Assert.Equal("ja", (await _locales.GetAsync("odin", "u2", CancellationToken.None))!.Language);
        Assert.Null(await _locales.GetAsync("ares", "u1", CancellationToken.None));
    }

    [Fact]
    public async Task Rules_are_listed_per_game_and_written_with_if_match()
    {
        var (status, stored) = await _rules.UpsertAsync(Rule("odin", "r1"), null, CancellationToken.None);
        await _rules.UpsertAsync(Rule("odin", "r2"), null, CancellationToken.None);
        await _rules.UpsertAsync(Rule("ares", "r1"), null, CancellationToken.None);

        Assert.Equal(RuleWriteStatus.Done, status);
        var listed = await _rules.ListAsync("odin", CancellationToken.None);
        Assert.Equal(["r1", "r2"], listed.Select(r => r.Rule.Id));
        Assert.Equal(stored!.ETag, listed[0].ETag);
        Assert.Equal(["Hi {userid}"], listed[0].Rule.Templates.Select(t => t.Body));

        var (updated, changed) = await _rules.UpsertAsync(Rule("odin", "r1") with { Priority = "high" }, stored.ETag, CancellationToken.None);
        Assert.Equal(RuleWriteStatus.Done, updated);
        Assert.NotEqual(stored.ETag, changed!.ETag);
        Assert.Equal(RuleWriteStatus.PreconditionFailed, (await _rules.UpsertAsync(Rule("odin", "r1"), stored.ETag, CancellationToken.None)).Status);
        Assert.Equal(RuleWriteStatus.NotFound, (await _rules.UpsertAsync(Rule("odin", "new"), "*", CancellationToken.None)).Status);
        Assert.Equal("high", (await _rules.GetAsync("odin", "r1", CancellationToken.None))!.Rule.Priority);
    }

    [Fact]
    public async Task Deleting_a_rule_honours_if_match_and_reports_a_missing_one()
    {
        var (_, stored) = await _rules.UpsertAsync(Rule("odin", "r1"), null, CancellationToken.None);

        Assert.Equal(RuleWriteStatus.PreconditionFailed, await _rules.DeleteAsync("odin", "r1", "\"stale\"", CancellationToken.None));
        Assert.Equal(RuleWriteStatus.Done, await _rules.DeleteAsync("odin", "r1", stored!.ETag, CancellationToken.None));
        Assert.Equal(RuleWriteStatus.NotFound, await _rules.DeleteAsync("odin", "r1", null, CancellationToken.None));
        Assert.Null(await _rules.GetAsync("odin", "r1", CancellationToken.None));
    }

    private static Notification Notification(string id, string user, DateTimeOffset time) => new()
    {
        Id = id, RuleId = "r1", GameId = "odin", UserId = user, EventId = "e-" + id, Time = time, Priority = "normal",
        Channels = ["push", "inbox"], Locale = "en", Title = "T " + id, Body = "B", CreatedAt = time, Ttl = 86400,
    };

    private static NotificationRule Rule(string game, string id) => new()
    {
        Id = id, GameId = game, EventType = "game.session.started", Channels = ["inbox"],
        Templates = [new RuleTemplate("en", "Welcome", "Hi {userid}")],
    };
}
