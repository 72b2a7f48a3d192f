using GameSignals.Admin.IpRanges;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using static GameSignals.Functions.Tests.IpRanges.IpRangesApp;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.IpRanges;

public sealed class IpLookupFunctionsTests
{
    private const string Aws = """{ "prefixes": [ { "ip_prefix": "52.95.0.0/16", "region": "eu-west-1", "service": "AMAZON" }, { "ip_prefix": "52.95.4.0/24", "region": "eu-west-1", "service": "EC2" } ], "ipv6_prefixes": [ { "ipv6_prefix": "2600:1f00::/24", "region": "us-east-1", "service": "EC2" } ] }""";
    private const string Ip2Asn = "52.95.0.0\t52.95.255.255\t16509\tUS\tAMAZON-02\n100.64.0.0\t100.64.255.255\t64600\tKR\tISP-KR-0\n";

    [Fact]
    public async Task Before_any_publish_an_address_is_unknown_and_no_snapshot_is_named()
    {
        await using var app = new IpRangesApp();

        var (status, body) = Json<IpLookupResponse>(await app.Lookup.LookupAsync(Request(), "52.95.4.10"));

        Assert.Equal((StatusCodes.Status200OK, "52.95.4.10", null, null), (status, body.Address, body.SnapshotVersion, body.Asn));
        Assert.Empty(body.CloudRanges);
        Assert.Empty(body.Blocklist);
    }

    [Fact]
    public async Task After_a_refresh_an_address_shows_its_AS_every_cloud_range_every_block_and_the_snapshot_version()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Aws, Aws), (RangeSourceKind.Ip2Asn, Ip2Asn));
        await app.Store.UpsertAsync(new BlocklistEntry(null, 16509, "cloud abuse", Id: "as-16509", AddedBy: "ops"), BlocklistPrecondition.None, CancellationToken.None);
        await app.Store.UpsertAsync(new BlocklistEntry("52.95.4.0/22", null, "expired", app.Time.GetUtcNow().AddDays(-1), Id: "old"), BlocklistPrecondition.None, CancellationToken.None);

        var (_, refresh) = Json<RefreshResponse>(await app.Lookup.RefreshAsync(Request()));
        var (_, body) = Json<IpLookupResponse>(await app.Lookup.LookupAsync(Request(), "52.95.4.10"));

        Assert.Equal("published", refresh.Outcome);
        Assert.Equal(refresh.Version, body.SnapshotVersion);
        Assert.Equal((16509u, "AMAZON-02", "US"), (body.Asn!.Number, body.Asn.Name, body.Asn.Country));
        Assert.Equal(["52.95.0.0/16 AMAZON", "52.95.4.0/24 EC2"], body.CloudRanges.Select(r => $"{r.Prefix} {r.Service}").Order(StringComparer.Ordinal));
        Assert.All(body.CloudRanges, r => Assert.Equal(("aws", "eu-west-1"), (r.Provider, r.Region)));
        Assert.Equal("as-16509", Assert.Single(body.Blocklist).Id);
    }

    [Fact]
    public async Task IPv6_addresses_are_looked_up_and_answered_in_canonical_form()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Aws, Aws));
        await app.Lookup.RefreshAsync(Request());

        var (_, body) = Json<IpLookupResponse>(await app.Lookup.LookupAsync(Request(), "2600:1F00:0:0::1"));

        Assert.Equal("2600:1f00::1", body.Address);
        Assert.Equal("2600:1f00::/24", Assert.Single(body.CloudRanges).Prefix);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("300.1.1.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    [InlineData("")]
    public async Task Anything_but_an_IP_address_is_a_400_problem(string address)
    {
        await using var app = new IpRangesApp();

        var problem = Problem(await app.Lookup.LookupAsync(Request(), address), StatusCodes.Status400BadRequest);

        Assert.Contains("address", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refresh_with_an_unreachable_source_is_refused_naming_it_and_keeps_the_table()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Aws, Aws));
        var (_, first) = Json<RefreshResponse>(await app.Lookup.RefreshAsync(Request()));
        app.Feeds.Clear();

        var (status, refused) = Json<RefreshResponse>(await app.Lookup.RefreshAsync(Request()));

        // The refresher keeps the last good copy of a source it downloaded before, so nothing changes.
        Assert.Equal((StatusCodes.Status200OK, "unchanged", first.Version), (status, refused.Outcome, refused.Version));
        var source = Assert.Single(refused.Refused);
        Assert.Equal(("aws-ip-ranges.json", "download"), (source.Source, source.Reason));
        Assert.Equal(first.Version, app.Table.Table.Version);
    }

    [Fact]
    public async Task A_first_refresh_without_a_source_is_refused_and_publishes_nothing()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Aws, Aws));
        app.Feeds.Clear();

        var (_, body) = Json<RefreshResponse>(await app.Lookup.RefreshAsync(Request()));

        Assert.Equal(("refused", null), (body.Outcome, body.Version));
        Assert.Null(await app.Snapshots.GetPointerAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_scheduled_refresh_publishes_and_a_second_one_finds_nothing_new()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Ip2Asn, Ip2Asn));
        var context = new TestFunctionContext(new Dictionary<string, object?>());

        await app.Timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), context);
        var published = await app.Snapshots.GetPointerAsync(CancellationToken.None);
        await app.Timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), context);

        Assert.NotNull(published);
        Assert.Equal(published, await app.Snapshots.GetPointerAsync(CancellationToken.None));
        var (_, body) = Json<IpLookupResponse>(await app.Lookup.LookupAsync(Request(), "100.64.1.1"));
        Assert.Equal((64600u, published.Version), (body.Asn!.Number, body.SnapshotVersion));
    }

    [Fact]
    public async Task An_instance_starting_up_uses_the_snapshot_already_published()
    {
        await using var app = new IpRangesApp((RangeSourceKind.Ip2Asn, Ip2Asn));
        await app.Timer.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), new TestFunctionContext(new Dictionary<string, object?>()));
        var published = (await app.Snapshots.GetPointerAsync(CancellationToken.None))!.Version;
        Assert.NotEqual(published, app.Table.Table.Version);

        await app.Updater.StartAsync(CancellationToken.None);
        await app.Updater.StopAsync(CancellationToken.None);

        Assert.Equal(published, app.Table.Table.Version);
    }
}
