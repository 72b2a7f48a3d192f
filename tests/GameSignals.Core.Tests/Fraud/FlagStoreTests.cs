using System.Text.Json;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Tests.Fraud;

public sealed class FlagStoreTests
{
    private static FraudFlag Flag(string eventId, string user, string reason, int minute) => new()
    {
        Id = FraudFlag.IdFor(reason, "/s", eventId),
        Reason = reason,
        Severity = FlagSeverity.Review,
        GameId = "odin",
        UserId = user,
        Source = "/s",
        EventId = eventId,
        Time = FraudHarness.T0.AddMinutes(minute),
        Evidence = JsonDocument.Parse("{}").RootElement,
    };

    [Fact]
    public void Flag_ids_derive_from_reason_source_and_event_id()
    {
        Assert.Equal(FraudFlag.IdFor("device.farm", "/s", "e1"), FraudFlag.IdFor("device.farm", "/s", "e1"));
        Assert.NotEqual(FraudFlag.IdFor("device.farm", "/s", "e1"), FraudFlag.IdFor("client.tampered", "/s", "e1"));
        Assert.NotEqual(FraudFlag.IdFor("device.farm", "/s", "e1"), FraudFlag.IdFor("device.farm", "/t", "e1"));
    }

    [Fact]
    public async Task Creating_a_flag_twice_is_a_conflict_that_keeps_the_first()
    {
        var store = new InMemoryFlagStore();
        var flag = Flag("e1", "u1", FraudReasons.DeviceFarm, 0);

        Assert.True(await store.CreateAsync(flag, CancellationToken.None));
        Assert.False(await store.CreateAsync(flag with { UserId = "other" }, CancellationToken.None));
        Assert.Equal("u1", (await store.GetAsync("odin", flag.Id, CancellationToken.None))!.UserId);
    }

    [Fact]
    public async Task A_query_pages_through_matching_flags_in_time_order_with_a_continuation_token()
    {
        var store = new InMemoryFlagStore();
        for (var i = 0; i < 7; i++)
        {
            await store.CreateAsync(Flag("e" + i, i % 2 == 0 ? "u1" : "u2", FraudReasons.DeviceFarm, 10 - i), CancellationToken.None);
        }

        await store.CreateAsync(Flag("x", "u1", FraudReasons.ClientTampered, 0), CancellationToken.None);
        var query = new FlagQuery { GameId = "odin", UserId = "u1", Reason = FraudReasons.DeviceFarm, From = FraudHarness.T0.AddMinutes(5), PageSize = 2 };

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(query with { ContinuationToken = token }, CancellationToken.None);
            Assert.True(page.Flags.Count <= 2);
            seen.AddRange(page.Flags.Select(f => f.EventId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["e4", "e2", "e0"], seen);
        Assert.Empty((await store.QueryAsync(query with { To = FraudHarness.T0.AddMinutes(6) }, CancellationToken.None)).Flags);
    }

    [Fact]
    public async Task Resolving_a_flag_records_comment_who_and_when_and_status_queries_follow_it()
    {
        var store = new InMemoryFlagStore();
        var flag = Flag("e1", "u1", FraudReasons.DeviceFarm, 0);
        await store.CreateAsync(flag, CancellationToken.None);
        await store.CreateAsync(Flag("e2", "u1", FraudReasons.DeviceFarm, 1), CancellationToken.None);
        var at = FraudHarness.T0.AddHours(1);

        var resolved = await store.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Dismissed, "shared office NAT", "ops@example.com", at), CancellationToken.None);

        Assert.Equal((FlagStatus.Dismissed, "shared office NAT", "ops@example.com", at), (resolved!.Status, resolved.Comment, resolved.ResolvedBy, resolved.ResolvedAt));
        var open = await store.QueryAsync(new FlagQuery { Status = FlagStatus.Open }, CancellationToken.None);
        Assert.Equal("e2", Assert.Single(open.Flags).EventId);
        Assert.Null(await store.ReviewAsync("odin", "missing", new FlagReview(FlagStatus.Resolved, null, "ops", at), CancellationToken.None));
    }

    [Fact]
    public async Task Of_two_reviews_at_the_same_moment_exactly_one_lands_and_the_other_sees_it()
    {
        var store = new InMemoryFlagStore();
        var flag = Flag("e1", "u1", FraudReasons.DeviceFarm, 0);
        await store.CreateAsync(flag, CancellationToken.None);
        var at = FraudHarness.T0.AddHours(1);

        var reviews = await Task.WhenAll(
            Task.Run(() => store.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Resolved, "banned", "alice", at), CancellationToken.None).AsTask()),
            Task.Run(() => store.ReviewAsync("odin", flag.Id, new FlagReview(FlagStatus.Dismissed, "false alarm", "bob", at), CancellationToken.None).AsTask()));

        var stored = await store.GetAsync("odin", flag.Id, CancellationToken.None);
        Assert.All(reviews, r => Assert.Equal(stored, r));
        Assert.True(stored!.ResolvedBy is "alice" or "bob", stored.ResolvedBy);
    }

    [Fact]
    public void A_flag_serialises_with_the_contract_fields()
    {
        var json = JsonDocument.Parse(Flag("e1", "u1", FraudReasons.DeviceFarm, 0).ToJson()).RootElement;

        foreach (var field in new[] { "id", "reason", "severity", "gameId", "userId", "eventId", "time", "evidence", "status" })
        {
            Assert.True(json.TryGetProperty(field, out _), field);
        }

        Assert.Equal(("review", "open"), (json.GetProperty("severity").GetString(), json.GetProperty("status").GetString()));
    }

    [Fact]
    public void AddFraud_registers_the_stage_once_and_keeps_stores_registered_before_it()
    {
        var services = new ServiceCollection();
        var flags = new InMemoryFlagStore();
        services.AddSingleton<IFlagStore>(flags);

        services.AddFraud().AddFraud();

        Assert.Single(services, d => d.ServiceType == typeof(IEventStage) && d.ImplementationType == typeof(FraudStage));
        Assert.Same(flags, Assert.Single(services, d => d.ServiceType == typeof(IFlagStore)).ImplementationInstance);
        Assert.Single(services, d => d.ServiceType == typeof(IDeviceSightingStore));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IIpIntelligence));
    }
}
