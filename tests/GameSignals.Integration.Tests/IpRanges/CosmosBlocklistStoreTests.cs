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
        var stored = await _store.UpsertAsync(new BlocklistEntry("::ffff:198.51.100.0/120", null, "scraper farm", Expiry, "alice", "b-net"), CancellationToken.None);
        await _store.UpsertAsync(new BlocklistEntry(null, 64500, "bulletproof host", AddedBy: "bob", Id: "a-asn"), CancellationToken.None);

        Assert.Equal("198.51.100.0/24", stored.Cidr);
        Assert.Equal(stored, await _store.GetAsync("b-net", CancellationToken.None));
        var listed = await _store.ListAsync(CancellationToken.None);
        Assert.Equal(["a-asn", "b-net"], listed.Select(entry => entry.Id));
        Assert.Equal(new BlocklistEntry(null, 64500, "bulletproof host", null, "bob", "a-asn"), listed[0]);
    }

    [Fact]
    public async Task Upserting_an_id_again_replaces_the_entry()
    {
        await _store.UpsertAsync(new BlocklistEntry("203.0.113.0/24", null, "first", Id: "net"), CancellationToken.None);
        await _store.UpsertAsync(new BlocklistEntry(null, 64501, "second", Id: "net"), CancellationToken.None);

        var entry = Assert.Single(await _store.ListAsync(CancellationToken.None));
        Assert.Equal((null, 64501u, "second"), (entry.Cidr, entry.Asn, entry.Reason));
    }

    [Fact]
    public async Task An_invalid_entry_is_refused_naming_the_field_and_nothing_is_written()
    {
        var error = await Assert.ThrowsAsync<BlocklistValidationException>(() =>
            _store.UpsertAsync(new BlocklistEntry("203.0.113.7/24", null, "host bits", Id: "bad"), CancellationToken.None));

        Assert.Equal("cidr", error.Field);
        Assert.Null(await _store.GetAsync("bad", CancellationToken.None));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_removes_the_entry_once_and_an_unknown_id_is_not_found()
    {
        await _store.UpsertAsync(new BlocklistEntry(null, 64502, "spam", Id: "gone"), CancellationToken.None);

        Assert.True(await _store.DeleteAsync("gone", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("gone", CancellationToken.None));
        Assert.Null(await _store.GetAsync("gone", CancellationToken.None));
    }
}
