using System.Text.Json.Nodes;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

public sealed class FlagRaiserTests
{
    private static readonly FlaggedEvent Login = new("odin", "u-1", "/s", "login-1", FraudHarness.T0);

    private static JsonObject Evidence(int devices) => new() { ["ipBucket"] = "198.51.100.7", ["distinctDevices"] = devices };

    [Fact]
    public async Task A_raise_from_an_older_read_leaves_evidence_that_counted_more()
    {
        // Two partitions at once: the one that read the sightings later raises first.
        var harness = await FraudHarness.CreateAsync();
        var policy = (await harness.Cache.GetAsync("odin", CancellationToken.None))!;
        var raiser = new FlagRaiser(harness.Flags, harness.Actions);
        var id = FraudFlag.IdFor(FraudReasons.DeviceFarm, Login.Source, Login.EventId);

        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(23), CancellationToken.None, seenCount: "distinctDevices");
        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(22), CancellationToken.None, seenCount: "distinctDevices");
        Assert.Equal(23, (await harness.Flags.GetAsync("odin", id, CancellationToken.None))!.Evidence.GetProperty("distinctDevices").GetInt32());

        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(24), CancellationToken.None, seenCount: "distinctDevices");
        Assert.Equal(24, (await harness.Flags.GetAsync("odin", id, CancellationToken.None))!.Evidence.GetProperty("distinctDevices").GetInt32());
    }

    [Fact]
    public async Task Evidence_of_the_events_own_facts_is_replaced_whenever_it_differs()
    {
        var harness = await FraudHarness.CreateAsync();
        var policy = (await harness.Cache.GetAsync("odin", CancellationToken.None))!;
        var raiser = new FlagRaiser(harness.Flags, harness.Actions);
        var id = FraudFlag.IdFor(FraudReasons.DeviceFarm, Login.Source, Login.EventId);

        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(23), CancellationToken.None);
        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(22), CancellationToken.None);
        Assert.Equal(22, (await harness.Flags.GetAsync("odin", id, CancellationToken.None))!.Evidence.GetProperty("distinctDevices").GetInt32());
    }

    [Fact]
    public async Task The_store_judges_the_replacement_against_the_flag_as_stored()
    {
        // The check between the raiser's read and the store's write: a newer count written in between is kept.
        var harness = await FraudHarness.CreateAsync();
        var policy = (await harness.Cache.GetAsync("odin", CancellationToken.None))!;
        var raiser = new FlagRaiser(harness.Flags, harness.Actions);
        var id = FraudFlag.IdFor(FraudReasons.DeviceFarm, Login.Source, Login.EventId);
        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(21), CancellationToken.None, seenCount: "distinctDevices");
        await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(25), CancellationToken.None, seenCount: "distinctDevices");

        var stale = System.Text.Json.JsonSerializer.SerializeToElement(Evidence(22));
        await harness.Flags.ReplaceEvidenceAsync("odin", id, stale, static (stored, raised) => raised.GetProperty("distinctDevices").GetInt32() > stored.GetProperty("distinctDevices").GetInt32(), CancellationToken.None);
        Assert.Equal(25, (await harness.Flags.GetAsync("odin", id, CancellationToken.None))!.Evidence.GetProperty("distinctDevices").GetInt32());
    }
}
