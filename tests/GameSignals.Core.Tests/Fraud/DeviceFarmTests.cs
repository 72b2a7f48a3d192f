using System.Text.Json.Nodes;
using GameSignals.Events;
using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

public sealed class DeviceFarmTests
{
    private const string FarmIp = "100.64.9.9";

    private static Task<FraudHarness> WithMaxDevicesAsync(int max) =>
        FraudHarness.CreateAsync(game => game["deviceFarm"] = new JsonObject { ["maxDevicesPerIp"] = max, ["window"] = "PT10M" });

    private static GameEvent Login(int n, TimeSpan at, string ip = FarmIp, string? device = null) =>
        FraudHarness.Login("e" + n, "u" + n, ip, FraudHarness.T0 + at, device ?? "d" + n);

    [Fact]
    public async Task Devices_exactly_at_the_threshold_raise_nothing_and_one_more_flags_that_login()
    {
        var harness = await FraudHarness.CreateAsync();
        var logins = Enumerable.Range(1, 21).Select(n => Login(n, TimeSpan.FromSeconds(n))).ToArray();

        await harness.ProcessAsync(logins[..20]);
        Assert.Empty(harness.Flags.All);

        await harness.ProcessAsync(logins[20]);
        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.DeviceFarm, FlagSeverity.Review, "e21", "u21"), (flag.Reason, flag.Severity, flag.EventId, flag.UserId));
        Assert.Equal(21, flag.Evidence.GetProperty("distinctDevices").GetInt32());
        Assert.Equal(20, flag.Evidence.GetProperty("maxDevicesPerIp").GetInt32());
        Assert.Equal("PT10M", flag.Evidence.GetProperty("window").GetString());
        Assert.Equal(FarmIp, flag.Evidence.GetProperty("ipBucket").GetString());
        Assert.Equal(21, flag.Evidence.GetProperty("devices").GetArrayLength());
    }

    [Fact]
    public async Task Logins_from_one_device_count_once()
    {
        var harness = await WithMaxDevicesAsync(2);

        await harness.ProcessAsync(Login(1, TimeSpan.Zero, device: "same"), Login(2, TimeSpan.FromMinutes(1), device: "same"), Login(3, TimeSpan.FromMinutes(2)));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_login_exactly_one_window_earlier_is_outside_the_window()
    {
        var harness = await WithMaxDevicesAsync(2);

        await harness.ProcessAsync(Login(1, TimeSpan.Zero), Login(2, TimeSpan.FromMinutes(1)), Login(3, TimeSpan.FromMinutes(10)));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_login_just_inside_the_window_start_counts()
    {
        var harness = await WithMaxDevicesAsync(2);

        await harness.ProcessAsync(Login(1, TimeSpan.FromSeconds(1)), Login(2, TimeSpan.FromMinutes(1)), Login(3, TimeSpan.FromMinutes(10)));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal("e3", flag.EventId);
        Assert.Equal(FraudHarness.T0, flag.Evidence.GetProperty("windowStartExclusive").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_login_at_the_same_time_is_inside_the_window_so_both_logins_at_that_time_are_flagged()
    {
        var harness = await WithMaxDevicesAsync(2);

        await harness.ProcessAsync(Login(1, TimeSpan.FromMinutes(1)), Login(2, TimeSpan.FromMinutes(5)), Login(3, TimeSpan.FromMinutes(5)));

        Assert.Equal(["e2", "e3"], harness.Flags.All.Select(f => f.EventId).Order().ToList());
    }

    [Fact]
    public async Task A_late_login_flags_the_logins_already_processed_that_it_pushes_over_the_threshold()
    {
        var harness = await WithMaxDevicesAsync(2);

        await harness.ProcessAsync(Login(2, TimeSpan.FromMinutes(2)), Login(3, TimeSpan.FromMinutes(4)), Login(4, TimeSpan.FromMinutes(30)));
        Assert.Empty(harness.Flags.All);

        await harness.ProcessAsync(Login(1, TimeSpan.FromMinutes(1)));

        // e1 itself sees one device; e3 (at 4 min) now sees three; e2 sees two; e4 is a window away.
        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal(("e3", "u3"), (flag.EventId, flag.UserId));
    }

    [Fact]
    public async Task Any_arrival_order_raises_the_same_device_farm_flags_with_the_same_evidence()
    {
        var random = new Random(7);
        var logins = Enumerable.Range(1, 40)
            .Select(n => Login(n, TimeSpan.FromSeconds(random.Next(0, 1800)), device: "d" + random.Next(0, 12)))
            .ToArray();
        var inOrder = await FlagsAfterAsync(logins.OrderBy(e => e.Time).ToArray());
        Assert.NotEmpty(inOrder);

        for (var round = 0; round < 5; round++)
        {
            Assert.Equal(inOrder, await FlagsAfterAsync(logins.OrderBy(_ => random.Next()).ToArray()));
        }

        static async Task<List<string>> FlagsAfterAsync(GameEvent[] arrival)
        {
            var harness = await WithMaxDevicesAsync(4);
            foreach (var login in arrival)
            {
                await harness.ProcessAsync(login);
            }

            return [.. harness.Flags.All.Select(f => f.EventId + " " + f.Evidence.GetRawText()).Order(StringComparer.Ordinal)];
        }
    }

    [Fact]
    public async Task IPv6_logins_share_a_bucket_per_64_and_IPv4_logins_per_address()
    {
        var harness = await WithMaxDevicesAsync(1);

        await harness.ProcessAsync(
            Login(1, TimeSpan.Zero, ip: "2001:db8:100:1::1"),
            Login(2, TimeSpan.FromMinutes(1), ip: "2001:db8:100:1:ffff::2"),
            Login(3, TimeSpan.FromMinutes(2), ip: "2001:db8:100:2::1"),
            Login(4, TimeSpan.FromMinutes(3), ip: "100.64.0.1"),
            Login(5, TimeSpan.FromMinutes(4), ip: "100.64.0.2"));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal("e2", flag.EventId);
        Assert.Equal("2001:db8:100:1::/64", flag.Evidence.GetProperty("ipBucket").GetString());
    }

    [Fact]
    public async Task A_redelivered_batch_of_logins_creates_no_second_flag_and_counts_no_device_twice()
    {
        var harness = await WithMaxDevicesAsync(2);
        GameEvent[] batch = [Login(1, TimeSpan.Zero), Login(2, TimeSpan.FromMinutes(1)), Login(3, TimeSpan.FromMinutes(2))];

        await harness.ProcessAsync(batch);
        var first = harness.Flags.All;
        await harness.ProcessAsync(batch);

        Assert.Equal("e3", Assert.Single(first).EventId);
        Assert.Equal(first, harness.Flags.All);
        Assert.Equal(3, harness.Sightings.SightingsOf("odin", FarmIp).Count);
    }

    /// <summary>A carrier's NAT keeps a day of logins on one address: each login is judged by its own windows only.</summary>
    [Fact]
    public async Task An_address_with_a_day_of_logins_flags_only_the_windows_over_the_limit()
    {
        var harness = await WithMaxDevicesAsync(2);
        // A new device every 6 minutes for 24 hours: two in any 10-minute window. Two more at 6:01 and 6:02.
        var day = Enumerable.Range(0, 240).Select(n => Login(n, TimeSpan.FromMinutes(6 * n)));
        var burst = new[] { Login(1001, TimeSpan.FromMinutes(361)), Login(1002, TimeSpan.FromMinutes(362)) };

        await harness.ProcessAsync([.. day, .. burst]);

        // (351, 361] holds 6:00 and 5:54 besides 6:01; (352, 362] and (356, 366] hold four; (362, 372] two again.
        Assert.Equal(["e1001", "e1002", "e61"], harness.Flags.All.Select(f => f.EventId).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(242, harness.Sightings.SightingsOf("odin", FarmIp).Count);
    }

    [Fact]
    public async Task A_login_gets_back_only_the_sightings_less_than_near_before_or_after_it()
    {
        var store = new InMemoryDeviceSightingStore(TimeSpan.FromDays(1));
        DeviceSighting At(string id, int minutes) => new("/s", id, "u", "d" + id, FraudHarness.T0.AddMinutes(minutes));
        foreach (var (id, minutes) in new[] { ("a", 0), ("b", 20), ("c", 21), ("d", 39), ("e", 40), ("f", 55) })
        {
            await store.AddAsync("odin", FarmIp, At(id, minutes), TimeSpan.FromDays(1), [], CancellationToken.None);
        }

        var near = new List<DeviceSighting>();
        await store.AddAsync("odin", FarmIp, At("g", 30), TimeSpan.FromMinutes(10), near, CancellationToken.None);

        Assert.Equal(["c", "d", "g"], near.Select(s => s.EventId).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(7, store.SightingsOf("odin", FarmIp).Count);
    }

    [Fact]
    public async Task Sightings_expire_by_event_time_behind_the_newest_login_of_their_bucket()
    {
        var store = new InMemoryDeviceSightingStore(TimeSpan.FromHours(1));
        DeviceSighting At(string id, int minutes) => new("/s", id, "u", "d", FraudHarness.T0.AddMinutes(minutes));

        var kept = new List<DeviceSighting>();
        await store.AddAsync("odin", FarmIp, At("a", 0), TimeSpan.FromDays(1), kept, CancellationToken.None);
        await store.AddAsync("odin", FarmIp, At("b", 30), TimeSpan.FromDays(1), kept, CancellationToken.None);
        await store.AddAsync("odin", FarmIp, At("c", 61), TimeSpan.FromDays(1), kept, CancellationToken.None);
        await store.AddAsync("odin", FarmIp, At("late", 0), TimeSpan.FromDays(1), kept, CancellationToken.None);

        Assert.Equal(["b", "c"], kept.Select(s => s.EventId).Order().ToList());
        Assert.Equal(["b", "c"], store.SightingsOf("odin", FarmIp).Select(s => s.EventId).Order().ToList());
    }
}
