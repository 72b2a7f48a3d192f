using GameSignals.Azure.Cosmos;
using GameSignals.Azure.IpRanges;
using GameSignals.IpRanges;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests.IpRanges;

/// <summary>The Cosmos blocklist store against the stand-in, with the in-memory store's semantics; each test class run has its own database.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosBlocklistStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Expiry = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosBlocklistStore _store;

    public CosmosBlocklistStoreTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        _store = new CosmosBlocklistStore(_client, Options.Create(_options));
    }

    public Task InitializeAsync() =>
        CosmosSetup.EnsureResourcesAsync(_client, _options.Database, [CosmosBlocklistStore.ContainerSpec], CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task Entries_are_stored_canonical_read_back_whole_and_listed_by_id()
    {
        var (status, stored) = await _store.UpsertAsync(new BlocklistEntry("::ffff:198.51.100.0/120", null, "scraper farm", Expiry, "alice", "b-net"), BlocklistPrecondition.None, CancellationToken.None);
        await _store.UpsertAsync(new BlocklistEntry(null, 64500, "bulletproof host", AddedBy: "bob", Id: "a-asn"), BlocklistPrecondition.None, CancellationToken.None);

        Assert.Equal((BlocklistWriteStatus.Created, "198.51.100.0/24"), (status, stored!.Entry.Cidr));
        Assert.Equal(stored, await _store.GetAsync("b-net", CancellationToken.None));
        var listed = await _store.ListAsync(CancellationToken.None);
        Assert.Equal(["a-asn", "b-net"], listed.Select(entry => entry.Id));
        Assert.Equal(new BlocklistEntry(null, 64500, "bulletproof host", null, "bob", "a-asn"), listed[0]);
    }

    [Fact]
    public async Task Upserting_an_id_again_replaces_the_entry_with_a_new_ETag()
    {
        var (_, first) = await _store.UpsertAsync(new BlocklistEntry("203.0.113.0/24", null, "first", Id: "net"), BlocklistPrecondition.None, CancellationToken.None);
        var (status, second) = await _store.UpsertAsync(new BlocklistEntry(null, 64501, "second", Id: "net"), BlocklistPrecondition.None, CancellationToken.None);

        Assert.Equal(BlocklistWriteStatus.Replaced, status);
        Assert.NotEqual(first!.ETag, second!.ETag);
        var entry = Assert.Single(await _store.ListAsync(CancellationToken.None));
        Assert.Equal((null, 64501u, "second"), (entry.Cidr, entry.Asn, entry.Reason));
    }

    [Fact]
    public async Task Of_two_concurrent_writes_with_the_same_If_Match_exactly_one_lands_and_a_delete_with_it_then_fails()
    {
        var (_, read) = await _store.UpsertAsync(new BlocklistEntry(null, 64503, "first", Id: "raced"), BlocklistPrecondition.None, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 2).Select(writer =>
            _store.UpsertAsync(new BlocklistEntry(null, 64503, $"writer {writer}", Id: "raced"), BlocklistPrecondition.Matching(read!.ETag), CancellationToken.None)));

        var winner = Assert.Single(outcomes, outcome => outcome.Status == BlocklistWriteStatus.Replaced);
        Assert.Equal((BlocklistWriteStatus.PreconditionFailed, null), Assert.Single(outcomes, outcome => outcome != winner));
        Assert.Equal(winner.Stored, await _store.GetAsync("raced", CancellationToken.None));
        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, await _store.DeleteAsync("raced", read!.ETag, CancellationToken.None));
        Assert.Equal(BlocklistWriteStatus.Deleted, await _store.DeleteAsync("raced", winner.Stored!.ETag, CancellationToken.None));
    }

    [Fact]
    public async Task A_create_that_must_not_find_the_id_and_an_If_Match_on_a_missing_entry_fail_the_precondition()
    {
        var entry = new BlocklistEntry(null, 64504, "r", Id: "once");

        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, (await _store.UpsertAsync(entry, BlocklistPrecondition.Matching("*"), CancellationToken.None)).Status);
        Assert.Equal(BlocklistWriteStatus.Created, (await _store.UpsertAsync(entry, BlocklistPrecondition.Absent, CancellationToken.None)).Status);
        Assert.Equal(BlocklistWriteStatus.PreconditionFailed, (await _store.UpsertAsync(entry with { Reason = "r2" }, BlocklistPrecondition.Absent, CancellationToken.None)).Status);
        Assert.Equal("r", (await _store.GetAsync("once", CancellationToken.None))!.Entry.Reason);
    }

    [Fact]
    public async Task An_invalid_entry_is_refused_naming_the_field_and_nothing_is_written()
    {
        var error = await Assert.ThrowsAsync<BlocklistValidationException>(() =>
            _store.UpsertAsync(new BlocklistEntry("203.0.113.7/24", null, "host bits", Id: "bad"), BlocklistPrecondition.None, CancellationToken.None));

        Assert.Equal("cidr", error.Field);
        Assert.Null(await _store.GetAsync("bad", CancellationToken.None));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_removes_the_entry_once_and_an_unknown_id_is_not_found()
    {
        await _store.UpsertAsync(new BlocklistEntry(null, 64502, "spam", Id: "gone"), BlocklistPrecondition.None, CancellationToken.None);

        Assert.Equal(BlocklistWriteStatus.Deleted, await _store.DeleteAsync("gone", null, CancellationToken.None));
        Assert.Equal(BlocklistWriteStatus.NotFound, await _store.DeleteAsync("gone", null, CancellationToken.None));
        Assert.Null(await _store.GetAsync("gone", CancellationToken.None));
    }
}
