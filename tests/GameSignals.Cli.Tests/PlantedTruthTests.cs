using System.Globalization;
using System.Text;
using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Cli.Tests;

/// <summary>A small generated stream, read back line by line, and the truth.json written beside it.</summary>
public sealed class PlantedStreamFixture : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();

    public PlantedStreamFixture()
    {
        Directory = Path.Combine(_root, "stream");
        var (code, _, error) = CliRun.RunAsync(["generate", "--seed", "7", "--users", "110", "--events", "30000", "--out", Directory]).GetAwaiter().GetResult();
        Assert.True(code == 0, error);
        Truth = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "truth.json"))).RootElement;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(Directory, "events.jsonl")))
        {
            var decoded = new List<GameEvent>();
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), new MessageOrigin("test", "0", 0, "", null), decoded, []);
            if (decoded.Count == 0)
            {
                Poison++;
            }
            else if (!seen.Add(decoded[0].Id))
            {
                Duplicates++;
            }
            else
            {
                Events.Add(JsonDocument.Parse(line).RootElement);
            }
        }
    }

    public string Directory { get; }

    public JsonElement Truth { get; }

    /// <summary>Every event once, in stream order.</summary>
    public List<JsonElement> Events { get; } = [];

    public int Poison { get; }

    public int Duplicates { get; }

    public HashSet<string> Expected(string kind, string name) =>
        Truth.GetProperty(kind).GetProperty(name).GetProperty("expected").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<JsonElement> OfType(string type, string? game = null) =>
        Events.Where(e => e.GetProperty("type").GetString() == type && (game is null || e.GetProperty("gameid").GetString() == game));

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}

/// <summary>
/// <c>generate</c>'s truth.json against facts read from the stream by hand: the rules' conditions and
/// cooldowns, the abusers' addresses and signatures, the device farm's count, the receipt replays' order.
/// </summary>
public sealed class PlantedTruthTests(PlantedStreamFixture stream) : IClassFixture<PlantedStreamFixture>
{
    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    private static JsonElement Data(JsonElement e) => e.GetProperty("data");

    private static DateTimeOffset Time(JsonElement e) => DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);

    private static string Ip(JsonElement e) => Data(e).GetProperty("ip").GetString()!;

    [Fact]
    public void Poison_lines_and_resent_events_are_counted_as_written()
    {
        Assert.Equal(30_000, stream.Truth.GetProperty("lines").GetInt32());
        Assert.Equal(stream.Poison, stream.Truth.GetProperty("poison").GetInt32());
        Assert.Equal(stream.Duplicates, stream.Truth.GetProperty("duplicates").GetInt32());
        Assert.True(stream.Poison > 0 && stream.Duplicates > 0);
    }

    [Fact]
    public void Every_rule_of_rules_json_is_in_the_truth_and_rules_without_cooldown_expect_exactly_their_matches()
    {
        var rules = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(stream.Directory, "rules.json"))).RootElement.GetProperty("rules");
        Assert.Equal(
            rules.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal),
            stream.Truth.GetProperty("notifications").EnumerateObject().Select(p => p.Name));

        var pveDeaths = stream.OfType("game.character.died", "odin").Where(e => Data(e).GetProperty("cause").GetString() != "pvp").Select(Id);
        Assert.Equal(pveDeaths.ToHashSet(), stream.Expected("notifications", "died-pve"));

        var bigBosses = stream.OfType("game.world.boss_spawned", "ares")
            .Where(e => Data(e).TryGetProperty("bossLevel", out var level) && level.GetInt32() >= 50 && Data(e).GetProperty("zone").GetString() is "abyss" or "rift")
            .Select(Id);
        Assert.Equal(bigBosses.ToHashSet(), stream.Expected("notifications", "boss"));
        Assert.NotEmpty(stream.Expected("notifications", "boss"));
    }

    [Fact]
    public void Low_hp_on_auto_battle_notifies_once_per_character_in_five_minutes()
    {
        var expected = stream.Expected("notifications", "low-hp-auto");
        var lastNotified = new Dictionary<string, DateTimeOffset>();
        var (notified, held) = (0, 0);
        foreach (var e in stream.OfType("game.character.hp_changed", "odin"))
        {
            var data = Data(e);
            var match = data.GetProperty("autoBattle").GetBoolean() && data.GetProperty("hp").GetInt32() * 5 < data.GetProperty("maxHp").GetInt32();
            var character = e.GetProperty("characterid").GetString()!;
            if (!match)
            {
                Assert.DoesNotContain(Id(e), expected);
            }
            else if (lastNotified.TryGetValue(character, out var last) && Time(e) - last < TimeSpan.FromMinutes(5))
            {
                Assert.DoesNotContain(Id(e), expected);
                held++;
            }
            else
            {
                Assert.Contains(Id(e), expected);
                lastNotified[character] = Time(e);
                notified++;
            }
        }

        Assert.Equal(notified, expected.Count);
        Assert.Equal(held, stream.Truth.GetProperty("notifications").GetProperty("low-hp-auto").GetProperty("heldByCooldown").GetInt32());
        Assert.True(held > 0);
    }

    [Fact]
    public void Tampered_clients_and_cloud_logins_in_odin_are_flagged_and_networks_the_ASN_data_does_not_know_are_never_compared()
    {
        var logins = stream.OfType("game.session.started").ToList();
        Assert.Equal(
            logins.Where(e => Data(e).GetProperty("clientSignature").GetString()!.StartsWith("dead", StringComparison.Ordinal)).Select(Id).ToHashSet(),
            stream.Expected("flags", "client.tampered"));

        static bool InCloud(string ip) =>
            ip.StartsWith("2001:db8:aaaa:", StringComparison.Ordinal) || ip.StartsWith("2001:db8:bbbb:", StringComparison.Ordinal) || ip.StartsWith("2001:db8:cccc:", StringComparison.Ordinal)
            || (ip.StartsWith("198.18.", StringComparison.Ordinal) && int.Parse(ip.Split('.')[2], CultureInfo.InvariantCulture) is < 16 or (>= 32 and < 48) or (>= 64 and < 80));
        Assert.Equal(
            logins.Where(e => e.GetProperty("gameid").GetString() == "odin" && InCloud(Ip(e))).Select(Id).ToHashSet(),
            stream.Expected("flags", "ip.cloud_provider"));

        var unmapped = logins.Where(e => Ip(e).StartsWith("198.18.1", StringComparison.Ordinal) && int.Parse(Ip(e).Split('.')[2], CultureInfo.InvariantCulture) is >= 160 and < 176).ToList();
        Assert.NotEmpty(unmapped);
        Assert.DoesNotContain(unmapped, e => stream.Expected("flags", "geo.country_mismatch").Contains(Id(e)));
        Assert.Contains(logins, e => Ip(e).StartsWith("203.0.113.", StringComparison.Ordinal) && stream.Expected("flags", "geo.country_mismatch").Contains(Id(e)));
    }

    [Fact]
    public void The_device_farm_is_flagged_once_more_than_twenty_devices_used_its_address_and_the_cafe_with_twenty_never()
    {
        var flagged = stream.Expected("flags", "device.farm");
        var farm = stream.OfType("game.session.started").Where(e => Ip(e) == "198.51.100.77").ToList();
        var cafe = stream.OfType("game.session.started").Where(e => Ip(e) == "198.51.100.88").ToList();
        Assert.True(Time(farm[^1]) - Time(farm[0]) < TimeSpan.FromMinutes(10), "the stream fits in one window");

        // Every farm login up to its time, same-time logins included, counts.
        foreach (var login in farm)
        {
            var devices = farm.Where(other => Time(other) <= Time(login)).Select(other => Data(other).GetProperty("deviceId").GetString()).Distinct().Count();
            Assert.Equal(devices > 20, flagged.Contains(Id(login)));
        }

        Assert.Equal(20, cafe.Select(e => Data(e).GetProperty("deviceId").GetString()).Distinct().Count());
        Assert.DoesNotContain(cafe, e => flagged.Contains(Id(e)));
        Assert.True(flagged.Count > 0 && flagged.Count < farm.Count);
        Assert.All(flagged, id => Assert.Contains(farm, e => Id(e) == id));
    }

    [Fact]
    public void Every_use_of_a_store_order_but_the_first_is_a_replay_and_a_tie_in_time_goes_to_the_smaller_event_id()
    {
        var flagged = stream.Expected("flags", "payment.receipt_replay");
        var orders = stream.OfType("payment.purchase.completed")
            .GroupBy(e => (Data(e).GetProperty("store").GetString(), Data(e).GetProperty("orderId").GetString()))
            .Where(g => g.Count() > 1)
            .ToList();
        Assert.NotEmpty(orders);
        foreach (var uses in orders)
        {
            var first = uses.OrderBy(Time).ThenBy(Id, StringComparer.Ordinal).First();
            Assert.All(uses, use => Assert.Equal(Id(use) != Id(first), flagged.Contains(Id(use))));
        }

        Assert.Equal(orders.Sum(g => g.Count() - 1), flagged.Count);
        Assert.Contains(orders, uses => uses.Select(Time).Distinct().Count() < uses.Count());
    }
}
