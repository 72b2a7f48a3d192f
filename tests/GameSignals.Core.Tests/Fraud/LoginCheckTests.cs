using System.Net;
using GameSignals.Fraud;
using GameSignals.IpRanges;

namespace GameSignals.Tests.Fraud;

public sealed class LoginCheckTests
{
    [Fact]
    public async Task A_login_from_a_clean_domestic_address_with_an_allowed_client_raises_nothing()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", "100.64.1.2"));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_login_inside_a_blocklisted_cidr_is_flagged_with_the_prefix_and_its_reason()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", "192.0.2.10"));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.BlockedRange, FlagSeverity.Block, "u1", "e1"), (flag.Reason, flag.Severity, flag.UserId, flag.EventId));
        var match = flag.Evidence.GetProperty("matches")[0];
        Assert.Equal("192.0.2.0/24", match.GetProperty("cidr").GetString());
        Assert.Equal("chargeback ring", match.GetProperty("reason").GetString());
        Assert.Equal("blocklist", flag.Evidence.GetProperty("source").GetString());
        Assert.Equal("192.0.2.10", flag.Evidence.GetProperty("ip").GetString());
    }

    [Fact]
    public async Task A_login_from_a_blocklisted_asn_is_flagged_with_the_asn_and_its_name()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", "203.0.113.5"));

        var flag = Assert.Single(harness.FlagsFor(FraudReasons.BlockedAsn));
        Assert.Equal(64512, flag.Evidence.GetProperty("asn").GetInt32());
        Assert.Equal("BULLETPROOF-HOSTING", flag.Evidence.GetProperty("asName").GetString());
        Assert.Equal("bulletproof hosting", flag.Evidence.GetProperty("matches")[0].GetProperty("reason").GetString());
        Assert.Empty(harness.FlagsFor(FraudReasons.BlockedRange));
    }

    [Fact]
    public async Task A_cloud_login_is_flagged_with_every_matching_prefix_only_for_games_that_block_cloud_providers()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Login("e1", "u1", "198.18.1.1", country: "US"),
            FraudHarness.Login("e2", "u2", "198.18.1.1", country: "US", game: "ares"));

        var flag = Assert.Single(harness.FlagsFor(FraudReasons.CloudProvider));
        Assert.Equal("e1", flag.EventId);
        var prefixes = flag.Evidence.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("prefix").GetString()).Order().ToList();
        Assert.Equal(["198.18.0.0/20", "198.18.0.0/22"], prefixes);
        Assert.Equal("aws", flag.Evidence.GetProperty("matches")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_login_whose_ip_country_differs_from_the_account_country_is_flagged_with_both()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Login("e1", "u1", "100.67.0.1", country: "KR"),
            FraudHarness.Login("e2", "u2", "100.67.0.1", country: "JP"));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.CountryMismatch, FlagSeverity.Review, "e1"), (flag.Reason, flag.Severity, flag.EventId));
        Assert.Equal("JP", flag.Evidence.GetProperty("ipCountry").GetString());
        Assert.Equal("KR", flag.Evidence.GetProperty("accountCountry").GetString());
        Assert.Equal(64603, flag.Evidence.GetProperty("asn").GetInt32());
        Assert.Equal("ISP-JP-3", flag.Evidence.GetProperty("asName").GetString());
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("10.1.2.3")]
    public async Task An_ip_whose_country_is_unknown_raises_no_country_mismatch(string ip)
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", ip, country: "KR"));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_client_signature_not_allowed_for_its_platform_is_flagged_as_tampered()
    {
        var harness = await FraudHarness.CreateAsync();
        var iosSignature = string.Concat(Enumerable.Repeat("b1", 32));

        await harness.ProcessAsync(
            FraudHarness.Login("e1", "u1", "100.64.1.1", platform: "android", signature: iosSignature),
            FraudHarness.Login("e2", "u2", "100.64.1.2", platform: "ios", signature: iosSignature),
            FraudHarness.Login("e3", "u3", "100.64.1.3", platform: "ios", signature: iosSignature.ToUpperInvariant()));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.ClientTampered, FlagSeverity.Block, "e1"), (flag.Reason, flag.Severity, flag.EventId));
        Assert.Equal(iosSignature, flag.Evidence.GetProperty("clientSignature").GetString());
        Assert.Equal("android", flag.Evidence.GetProperty("platform").GetString());
        Assert.Equal(2, flag.Evidence.GetProperty("allowedSignatures").GetArrayLength());
    }

    [Fact]
    public async Task A_block_flag_is_published_with_its_id_as_message_id_and_a_review_flag_is_not()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Login("e1", "u1", "192.0.2.10"),
            FraudHarness.Login("e2", "u2", "100.67.0.1"));

        var message = Assert.Single(harness.Actions.Messages);
        var blocked = Assert.Single(harness.FlagsFor(FraudReasons.BlockedRange));
        Assert.Equal(blocked.Id, message.MessageId);
        Assert.Single(harness.FlagsFor(FraudReasons.CountryMismatch));
    }

    [Fact]
    public async Task A_game_can_raise_a_reason_to_block_severity_in_its_settings()
    {
        var harness = await FraudHarness.CreateAsync(game => game["severities"] = new System.Text.Json.Nodes.JsonObject { ["geo.country_mismatch"] = "block" });

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", "100.67.0.1"));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal(FlagSeverity.Block, flag.Severity);
        Assert.Equal(flag.Id, Assert.Single(harness.Actions.Messages).MessageId);
    }

    [Fact]
    public async Task A_blocklist_entry_expired_at_the_event_time_raises_nothing()
    {
        var expires = FraudHarness.T0.AddMinutes(5);
        var harness = await FraudHarness.CreateAsync(ip: new OneBlockedRange(new BlocklistEntry("100.64.0.0/16", null, "temporary", expires, "ops")));

        await harness.ProcessAsync(
            FraudHarness.Login("e1", "u1", "100.64.1.2", FraudHarness.T0.AddMinutes(4)),
            FraudHarness.Login("e2", "u2", "100.64.1.3", expires));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal(("e1", "ops"), (flag.EventId, flag.Evidence.GetProperty("matches")[0].GetProperty("addedBy").GetString()));
    }

    [Fact]
    public async Task Events_of_a_game_without_fraud_settings_are_not_checked()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Login("e1", "u1", "192.0.2.10", game: "loki"));

        Assert.Empty(harness.Flags.All);
    }

    /// <summary>IP facts with one blocklisted range and nothing else.</summary>
    private sealed class OneBlockedRange(BlocklistEntry entry) : IIpIntelligence
    {
        public bool TryGetAsn(IPAddress address, out AsnInfo asn)
        {
            asn = null!;
            return false;
        }

        public void GetCloudRanges(IPAddress address, ICollection<CloudRange> matches)
        {
        }

        public void GetBlocklistMatches(IPAddress address, DateTimeOffset at, ICollection<BlocklistEntry> matches)
        {
            if (IPNetwork.Parse(entry.Cidr!).Contains(address) && BlocklistRules.IsActive(entry, at))
            {
                matches.Add(entry);
            }
        }
    }
}
