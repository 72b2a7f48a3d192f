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

        var (status, added) = await store.UpsertAsync(new BlocklistEntry("::ffff:192.0.2.0/120", null, "ring", Now.AddDays(1), "ops", "r1"), BlocklistPrecondition.None, ct);
        await store.UpsertAsync(new BlocklistEntry(null, 64500, "hosting", null, "ops", "a1"), BlocklistPrecondition.None, ct);
        var (replaced, _) = await store.UpsertAsync(new BlocklistEntry(null, 64501, "hosting, corrected", null, "ops", "a1"), BlocklistPrecondition.None, ct);

        Assert.Equal((BlocklistWriteStatus.Created, BlocklistWriteStatus.Replaced), (status, replaced));
        Assert.Equal("192.0.2.0/24", added!.Entry.Cidr);
        Assert.Equal(["a1", "r1"], (await store.ListAsync(ct)).Select(entry => entry.Id));
        Assert.Equal(64501u, (await store.GetAsync("a1", ct))!.Entry.Asn);
        Assert.Equal(BlocklistWriteStatus.Deleted, await store.DeleteAsync("a1", null, ct));
        Assert.Equal(BlocklistWriteStatus.NotFound, await store.DeleteAsync("a1", null, ct));
        Assert.Null(await store.GetAsync("a1", ct));
    }

    [Fact]
    public async Task Of_concurrent_writes_with_the_same_If_Match_exactly_one_lands_and_the_others_fail_the_precondition()
    {
        var store = new InMemoryBlocklistStore();
        var (_, read) = await store.UpsertAsync(new BlocklistEntry(null, 64500, "first", Id: "a1"), BlocklistPrecondition.None, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            store.UpsertAsync(new BlocklistEntry(null, 64500, $"writer {i}", Id: "a1"), BlocklistPrecondition.Matching(read!.ETag), CancellationToken.None))));

        var winner = Assert.Single(outcomes, outcome => outcome.Status == BlocklistWriteStatus.Replaced);
        Assert.All(outcomes.Where(outcome => outcome != winner), outcome => Assert.Equal((BlocklistWriteStatus.PreconditionFailed, null), outcome));
        Assert.Equal(winner.Stored, await store.GetAsync("a1", CancellationToken.None));
        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, await store.DeleteAsync("a1", read!.ETag, CancellationToken.None));
        Assert.NotNull(await store.GetAsync("a1", CancellationToken.None));
    }

    [Fact]
    public async Task A_create_that_must_not_find_the_id_and_an_If_Match_on_a_missing_entry_fail_the_precondition()
    {
        var store = new InMemoryBlocklistStore();
        var entry = new BlocklistEntry(null, 64500, "r", Id: "a1");

        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, (await store.UpsertAsync(entry, BlocklistPrecondition.Matching("*"), CancellationToken.None)).Status);
        Assert.Equal(BlocklistWriteStatus.Created, (await store.UpsertAsync(entry, BlocklistPrecondition.Absent, CancellationToken.None)).Status);
        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, (await store.UpsertAsync(entry with { Reason = "r2" }, BlocklistPrecondition.Absent, CancellationToken.None)).Status);
        Assert.Equal("r", (await store.GetAsync("a1", CancellationToken.None))!.Entry.Reason);
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
            () => store.UpsertAsync(new BlocklistEntry(cidr, asn, reason, null, null, id), BlocklistPrecondition.None, CancellationToken.None));

        Assert.Equal(field, error.Field);
        Assert.Empty(await store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public void Entries_match_by_cidr_or_by_the_address_asn_until_they_expire()
    {
        var (table, _) = RangeTableLoader.FromDirectory(Path.Combine(RepositoryFiles.Examples, "ipranges"));
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
