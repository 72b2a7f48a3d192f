using System.Net;
using GameSignals.IpRanges;

namespace GameSignals.Tests.IpRanges;

public sealed class BlocklistTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Entries_are_added_replaced_listed_and_deleted_by_id()
    {
        var store = new InMemoryBlocklistStore();
        var ct = CancellationToken.None;

        var added = await store.UpsertAsync(new BlocklistEntry("::ffff:192.0.2.0/120", null, "ring", Now.AddDays(1), "ops", "r1"), ct);
        await store.UpsertAsync(new BlocklistEntry(null, 64500, "hosting", null, "ops", "a1"), ct);
        await store.UpsertAsync(new BlocklistEntry(null, 64501, "hosting, corrected", null, "ops", "a1"), ct);

        Assert.Equal("192.0.2.0/24", added.Cidr);
        Assert.Equal(["a1", "r1"], (await store.ListAsync(ct)).Select(entry => entry.Id));
        Assert.Equal(64501u, (await store.GetAsync("a1", ct))!.Asn);
        Assert.True(await store.DeleteAsync("a1", ct));
        Assert.False(await store.DeleteAsync("a1", ct));
        Assert.Null(await store.GetAsync("a1", ct));
    }

    [Theory]
    [InlineData(null, "192.0.2.0/24", null, "x", "id")]
    [InlineData("a/b", "192.0.2.0/24", null, "x", "id")]
    [InlineData("e1", null, null, "x", "cidr")]
    [InlineData("e1", "192.0.2.0/24", 64500u, "x", "cidr")]
    [InlineData("e1", "192.0.2.1/24", null, "x", "cidr")]
    [InlineData("e1", "not an address", null, "x", "cidr")]
    [InlineData("e1", null, 0u, "x", "asn")]
    [InlineData("e1", "192.0.2.0/24", null, " ", "reason")]
    public async Task An_invalid_entry_is_refused_naming_the_field(string? id, string? cidr, uint? asn, string reason, string field)
    {
        var store = new InMemoryBlocklistStore();

        var error = await Assert.ThrowsAsync<BlocklistValidationException>(
            () => store.UpsertAsync(new BlocklistEntry(cidr, asn, reason, null, null, id), CancellationToken.None));

        Assert.Equal(field, error.Field);
        Assert.Empty(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public void Entries_match_by_cidr_or_by_the_address_asn_until_they_expire()
    {
        var (table, _) = RangeTableLoader.FromDirectory(Path.Combine(SharedFiles.Examples, "ipranges"));
        var sources = table.ToSources();
        sources.Blocklist.Add(new BlocklistEntry("100.64.0.0/16", null, "expiring", Now.AddHours(1)));
        sources.Blocklist.Add(new BlocklistEntry(null, 64600, "expired", Now));
        table = RangeTable.Build(sources);

        Assert.Equal(["chargeback ring"], Reasons(table, "192.0.2.9", Now));
        Assert.Equal(["bulletproof hosting"], Reasons(table, "203.0.113.50", Now)); // AS 64512 by ip2asn
        Assert.Equal(["expiring"], Reasons(table, "100.64.3.3", Now));
        Assert.Equal(["expired", "expiring"], Reasons(table, "100.64.3.3", Now.AddMinutes(-1)));
        Assert.Empty(Reasons(table, "100.64.3.3", Now.AddHours(1)));
        Assert.Empty(Reasons(table, "198.18.0.1", Now));
    }

    private static List<string> Reasons(RangeTable table, string address, DateTimeOffset at)
    {
        var matches = new List<BlocklistEntry>();
        table.GetBlocklistMatches(IPAddress.Parse(address), at, matches);
        return [.. matches.Select(entry => entry.Reason).Order(StringComparer.Ordinal)];
    }
}
