using Azure.Storage.Blobs;
using GameSignals.Azure.IpRanges;
using GameSignals.IpRanges;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Integration.Tests.IpRanges;

/// <summary>The blob snapshot store against Azurite, with the in-memory store's semantics; each test has its own container.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class BlobRangeSnapshotStoreTests(LocalServices services)
{
    private readonly BlobContainerClient _container = new BlobServiceClient(services.StorageConnectionString)
        .GetBlobContainerClient("ipranges-" + Guid.NewGuid().ToString("N")[..12]);

    private BlobRangeSnapshotStore Store() => new(_container);

    [Fact]
    public async Task Before_the_first_publish_there_is_no_pointer_and_no_snapshot_even_without_a_container()
    {
        var store = Store();

        Assert.Null(await store.GetPointerAsync(CancellationToken.None));
        Assert.Null(await store.ReadSnapshotAsync("ipranges/none.bin", CancellationToken.None));
    }

    [Fact]
    public async Task The_first_publish_creates_the_pointer_and_a_second_first_publish_loses()
    {
        var store = Store();

        Assert.True(await store.TryUpdatePointerAsync("v1", "ipranges/v1.bin", null, CancellationToken.None));
        Assert.False(await store.TryUpdatePointerAsync("v2", "ipranges/v2.bin", null, CancellationToken.None));

        var pointer = await store.GetPointerAsync(CancellationToken.None);
        Assert.Equal(("v1", "ipranges/v1.bin"), (pointer!.Version, pointer.BlobName));
    }

    [Fact]
    public async Task The_pointer_moves_under_its_current_ETag_and_not_under_a_stale_one()
    {
        var store = Store();
        await store.TryUpdatePointerAsync("v1", "ipranges/v1.bin", null, CancellationToken.None);
        var first = await store.GetPointerAsync(CancellationToken.None);

        Assert.True(await store.TryUpdatePointerAsync("v2", "ipranges/v2.bin", first!.ETag, CancellationToken.None));
        Assert.False(await store.TryUpdatePointerAsync("v3", "ipranges/v3.bin", first.ETag, CancellationToken.None));

        var current = await store.GetPointerAsync(CancellationToken.None);
        Assert.Equal("v2", current!.Version);
        Assert.NotEqual(first.ETag, current.ETag);
    }

    [Fact]
    public async Task A_pointer_ETag_for_a_pointer_that_does_not_exist_is_a_conflict_not_an_error()
    {
        Assert.False(await Store().TryUpdatePointerAsync("v1", "ipranges/v1.bin", "\"0x8D000000000000\"", CancellationToken.None));
    }

    [Fact]
    public async Task A_snapshot_written_twice_reads_back_as_written()
    {
        var store = Store();
        byte[] content = [1, 2, 3, 4];

        await store.WriteSnapshotAsync("ipranges/abc.bin", content, CancellationToken.None);
        await store.WriteSnapshotAsync("ipranges/abc.bin", content, CancellationToken.None);

        Assert.Equal(content, await store.ReadSnapshotAsync("ipranges/abc.bin", CancellationToken.None));
    }

    [Fact]
    public async Task An_instance_swaps_in_a_table_published_through_blob_storage()
    {
        var store = Store();
        var sources = new RangeSources();
        sources.Blocklist.Add(new BlocklistEntry("203.0.113.0/24", null, "abuse", Id: "net-1"));
        var snapshot = RangeSnapshot.Create(RangeTable.Build(sources));
        await store.WriteSnapshotAsync($"ipranges/{snapshot.Version}.bin", snapshot.Content, CancellationToken.None);
        await store.TryUpdatePointerAsync(snapshot.Version, $"ipranges/{snapshot.Version}.bin", null, CancellationToken.None);
        using var table = new CurrentRangeTable(store, NullLogger<CurrentRangeTable>.Instance);

        Assert.True(await table.CheckForUpdateAsync(CancellationToken.None));

        var matches = new List<BlocklistEntry>();
        table.GetBlocklistMatches(System.Net.IPAddress.Parse("203.0.113.9"), DateTimeOffset.UnixEpoch, matches);
        Assert.Equal("net-1", Assert.Single(matches).Id);
        Assert.Equal(snapshot.Version, table.Table.Version);
    }
}
