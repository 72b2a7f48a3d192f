using GameSignals.Admin.IpRanges;
using GameSignals.Functions.IpRanges;
using GameSignals.IpRanges;
using static GameSignals.Functions.Tests.IpRanges.IpRangesApp;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.IpRanges;

public sealed class IpRangesUpdaterTests
{
    [Fact]
    public async Task A_running_instance_swaps_in_a_snapshot_another_instance_published_at_its_next_pointer_check()
    {
        await using var app = new IpRangesApp();
        await app.Updater.StartAsync(CancellationToken.None);
        var version = await PublishAsync(app.Snapshots, new BlocklistEntry(null, 64512, "hosting", Id: "as"));

        app.Time.Advance(new IpRangesHostOptions().PointerCheckInterval);

        // The check runs on the timer's continuation; this waits for it, the assertion below is on the outcome.
        SpinWait.SpinUntil(() => app.Table.Table.Version == version, TimeSpan.FromSeconds(10));
        await app.Updater.StopAsync(CancellationToken.None);
        Assert.Equal(version, app.Table.Table.Version);
    }

    [Fact]
    public async Task A_pointer_to_a_missing_snapshot_keeps_the_table_in_use_and_lookups_keep_answering()
    {
        await using var app = new IpRangesApp();
        var version = await PublishAsync(app.Snapshots, new BlocklistEntry("192.0.2.0/24", null, "ring", Id: "ring"));
        await app.Updater.CheckForUpdateAsync(CancellationToken.None);
        var pointer = await app.Snapshots.GetPointerAsync(CancellationToken.None);
        await app.Snapshots.TryUpdatePointerAsync("f00d", "ipranges/f00d.bin", pointer!.ETag, CancellationToken.None);

        await app.Updater.CheckForUpdateAsync(CancellationToken.None);
        var (_, body) = Json<IpLookupResponse>(await app.Lookup.LookupAsync(Request(), "192.0.2.10"));

        Assert.Equal(version, body.SnapshotVersion);
        Assert.Equal("ring", Assert.Single(body.Blocklist).Id);
    }

    private static async Task<string> PublishAsync(IRangeSnapshotStore store, BlocklistEntry entry)
    {
        var sources = new RangeSources();
        sources.Blocklist.Add(entry);
        var snapshot = RangeSnapshot.Create(RangeTable.Build(sources));
        var pointer = await store.GetPointerAsync(CancellationToken.None);
        await store.WriteSnapshotAsync($"ipranges/{snapshot.Version}.bin", snapshot.Content, CancellationToken.None);
        Assert.True(await store.TryUpdatePointerAsync(snapshot.Version, $"ipranges/{snapshot.Version}.bin", pointer?.ETag, CancellationToken.None));
        return snapshot.Version;
    }
}
