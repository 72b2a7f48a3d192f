using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Notifications;
using GameSignals.Notifications;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.Notifications;

/// <summary>The shadow record and rule history stores on Cosmos, with the in-memory stores' semantics.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosShadowAndHistoryStoresTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosShadowNotificationStore _shadows;
    private readonly CosmosRuleHistoryStore _history;

    public CosmosShadowAndHistoryStoresTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        var options = Options.Create(_options);
        _shadows = new CosmosShadowNotificationStore(_client, options);
        _history = new CosmosRuleHistoryStore(_client, options);
    }

    public Task InitializeAsync() => CosmosSetup.EnsureResourcesAsync(
        _client, _options.Database, [CosmosShadowNotificationStore.ContainerSpec(), CosmosRuleHistoryStore.ContainerSpec()],
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task A_shadow_record_is_created_once_and_read_back_under_its_rule_only()
    {
        var record = Record("s1", "r-v2", Time, sent: true);

        Assert.True(await _shadows.CreateAsync(record, CancellationToken.None));
        Assert.False(await _shadows.CreateAsync(record with { Matched = false }, CancellationToken.None));

        var stored = await _shadows.GetAsync("odin", "r-v2", "s1", CancellationToken.None);
        Assert.Equal((true, true, "B s1", "r"), (stored!.Matched, stored.ActiveMatched, stored.Notification!.Body, stored.ShadowOf));
        Assert.Null(await _shadows.GetAsync("odin", "other", "s1", CancellationToken.None));
        var container = (await _client.GetContainer(_options.Database, CosmosShadowNotificationStore.ContainerName).ReadContainerAsync()).Resource;
        Assert.Equal(("/shadowRule", -1), (container.PartitionKeyPath, container.DefaultTimeToLive));
    }

    [Fact]
    public async Task Would_be_notifications_page_newest_first_between_two_times_and_scans_see_every_record_oldest_first()
    {
        for (var i = 0; i < 5; i++)
        {
            await _shadows.CreateAsync(Record($"s{i}", "r-v2", Time.AddMinutes(i), sent: i != 2), CancellationToken.None);
        }

        await _shadows.CreateAsync(Record("other-rule", "r-v3", Time.AddMinutes(3), sent: true), CancellationToken.None);
        await _shadows.CreateAsync(Record("other-game", "r-v2", Time.AddMinutes(3), sent: true) with { GameId = "ares" }, CancellationToken.None);

        var first = await _shadows.ListNotificationsAsync(new("odin", "r-v2", Time.AddMinutes(1), Time.AddMinutes(5), 2, null), CancellationToken.None);
        var second = await _shadows.ListNotificationsAsync(new("odin", "r-v2", Time.AddMinutes(1), Time.AddMinutes(5), 2, first.ContinuationToken), CancellationToken.None);
        var scanned = new List<string>();
        await foreach (var record in _shadows.ScanAsync("odin", "r-v2", null, Time.AddMinutes(4), CancellationToken.None))
        {
            scanned.Add(record.Id);
        }

        Assert.Equal(["s4", "s3"], first.Items.Select(n => n.Id));
        Assert.Equal(["s1"], second.Items.Select(n => n.Id));
        Assert.Equal(["s0", "s1", "s2", "s3"], scanned);
        var hours = await ShadowReport.HourlyAsync(_shadows, "odin", "r-v2", null, null, CancellationToken.None);
        Assert.Equal([new ShadowHourCount(Time, 4, 5)], hours);
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => _shadows.ListNotificationsAsync(new("odin", "r-v2", null, null, 2, "not-a-token"), CancellationToken.None).AsTask());
        Assert.Equal("query", error.ParamName);
    }

    [Fact]
    public async Task A_rules_history_pages_newest_first_keeps_the_first_of_a_repeated_change_and_stays_per_rule()
    {
        var rule = new NotificationRule { Id = "r", GameId = "odin", EventType = "t", Channels = ["inbox"], Templates = [new RuleTemplate("en", "T", "B")] };
        for (var i = 0; i < 3; i++)
        {
            await _history.AppendAsync(Change($"c{i}", "r", Time.AddMinutes(i), rule with { Priority = $"p{i}" }), CancellationToken.None);
        }

        await _history.AppendAsync(Change("c1", "r", Time.AddMinutes(9), rule with { Priority = "repeated" }), CancellationToken.None);
        await _history.AppendAsync(Change("x", "other", Time.AddMinutes(5), rule), CancellationToken.None);

        var first = await _history.ListAsync("odin", "r", 2, null, CancellationToken.None);
        var second = await _history.ListAsync("odin", "r", 2, first.ContinuationToken, CancellationToken.None);

        Assert.Equal(["c2", "c1"], first.Items.Select(c => c.Id));
        Assert.Equal(["c0"], second.Items.Select(c => c.Id));
        Assert.Equal(("p1", "bob"), (first.Items[1].After!.Priority, first.Items[1].By));
        Assert.Equal(["B"], first.Items[0].After!.Templates.Select(t => t.Body));
        Assert.NotNull(await _history.GetAsync("odin", "r", "c0", CancellationToken.None));
        Assert.Null(await _history.GetAsync("odin", "other", "c0", CancellationToken.None));
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => _history.ListAsync("odin", "r", 2, "not-a-token", CancellationToken.None).AsTask());
        Assert.Equal("continuationToken", error.ParamName);
    }

    private static ShadowRecord Record(string id, string ruleId, DateTimeOffset time, bool sent) => new()
    {
        Id = id, GameId = "odin", RuleId = ruleId, ShadowOf = "r", EventId = "e-" + id, UserId = "u1", Time = time, Matched = true, ActiveMatched = true, Ttl = 86400,
        Notification = sent
            ? new Notification
            {
                Id = id, RuleId = ruleId, GameId = "odin", UserId = "u1", EventId = "e-" + id, Time = time, Priority = "normal",
                Channels = ["push", "inbox"], Locale = "en", Title = "T", Body = "B " + id, CreatedAt = time, Ttl = 86400,
            }
            : null,
    };

    private static RuleChange Change(string id, string ruleId, DateTimeOffset at, NotificationRule after) => new()
    {
        Id = id, GameId = "odin", RuleId = ruleId, Kind = RuleChange.Updated, By = "bob", At = at, After = after with { Id = ruleId },
    };
}
