using System.Text.Json;
using System.Text.Json.Nodes;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

public sealed class FlagRaiserTests
{
    private const string SeenCount = "distinctDevices";
    private static readonly FlaggedEvent Login = new("odin", "u-1", "/s", "login-1", FraudHarness.T0);
    private static readonly string FlagId = FraudFlag.IdFor(FraudReasons.DeviceFarm, Login.Source, Login.EventId);

    [Fact]
    public async Task A_raise_from_an_older_read_leaves_evidence_that_counted_more()
    {
        // Two partitions at once: the one that read the sightings later raises first.
        var (harness, raise) = await ArrangeAsync(SeenCount);
        await raise(23);
        await raise(22);
        Assert.Equal(23, await DevicesAsync(harness));

        await raise(24);
        Assert.Equal(24, await DevicesAsync(harness));
    }

    [Fact]
    public async Task Evidence_of_the_events_own_facts_is_replaced_whenever_it_differs()
    {
        var (harness, raise) = await ArrangeAsync(seenCount: null);
        await raise(23);
        await raise(22);
        Assert.Equal(22, await DevicesAsync(harness));
    }

    [Fact]
    public async Task The_store_judges_the_replacement_against_the_flag_as_stored()
    {
        // A newer count written between a raiser's read and its write is kept.
        var (harness, raise) = await ArrangeAsync(SeenCount);
        await raise(21);
        await raise(25);

        await harness.Flags.ReplaceEvidenceAsync(
            "odin", FlagId, JsonSerializer.SerializeToElement(Evidence(22)),
            static (stored, raised) => raised.GetProperty(SeenCount).GetInt32() > stored.GetProperty(SeenCount).GetInt32(), CancellationToken.None);
        Assert.Equal(25, await DevicesAsync(harness));
    }

    private static JsonObject Evidence(int devices) => new() { ["ipBucket"] = "198.51.100.7", [SeenCount] = devices };

    /// <summary>A harness, and a raise of the device-farm flag on <see cref="Login"/> with a device count.</summary>
    private static async Task<(FraudHarness Harness, Func<int, Task> Raise)> ArrangeAsync(string? seenCount)
    {
        var harness = await FraudHarness.CreateAsync();
        var policy = (await harness.Cache.GetAsync("odin", CancellationToken.None))!;
        var raiser = new FlagRaiser(harness.Flags, harness.Actions);
        return (harness, async devices => await raiser.RaiseAsync(policy, FraudReasons.DeviceFarm, Login, Evidence(devices), CancellationToken.None, seenCount));
    }

    private static async Task<int> DevicesAsync(FraudHarness harness) =>
        (await harness.Flags.GetAsync("odin", FlagId, CancellationToken.None))!.Evidence.GetProperty(SeenCount).GetInt32();
}
