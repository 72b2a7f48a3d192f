using System.Net;
using GameSignals.IpRanges;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Tests.IpRanges;

[Collection(RangeFormatsGroup.Name)]
public sealed class RangeSnapshotTests(RangeFormatsFixture formats)
{
    [Fact]
    public void A_snapshot_of_a_table_of_every_format_loads_back_to_the_same_content_and_version()
    {
        var snapshot = RangeSnapshot.Create(formats.Table);

        var loaded = RangeSnapshot.Load(snapshot.Content);

        Assert.Equal(snapshot.Version, loaded.Version);
        Assert.Equal(64, snapshot.Version.Length);
        Assert.Equal(snapshot.Content, RangeSnapshot.Create(loaded).Content);
        var original = formats.Sources;
        var back = loaded.ToSources();
        Assert.Equal(original.Cloud, back.Cloud);
        Assert.Equal(original.Asn, back.Asn);
        foreach (var address in new[] { "198.18.5.33", "2001:db8:1000:ab00::1", "198.51.100.70", "192.0.2.1", "198.51.100.9" })
        {
            Assert.Equal(Cloud(formats.Table, address), Cloud(loaded, address));
            Assert.Equal(formats.Table.TryGetAsn(IPAddress.Parse(address), out var a) ? a : null, loaded.TryGetAsn(IPAddress.Parse(address), out var b) ? b : null);
        }
    }

    [Fact]
    public void Blocklist_entries_with_expiry_author_and_id_survive_a_snapshot()
    {
        var sources = new RangeSources();
        sources.Blocklist.Add(new BlocklistEntry("2001:db8::/32", null, "v6 ring", new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.FromHours(9)), "ops", "b1"));
        sources.Blocklist.Add(new BlocklistEntry(null, 64500, "hosting", null, null, "b2"));
        var table = RangeTable.Build(sources);

        var loaded = RangeSnapshot.Load(RangeSnapshot.Create(table).Content);

        Assert.Equal(sources.Blocklist, loaded.ToSources().Blocklist);
        Assert.Equal(table.Version, loaded.Version);
    }

    [Fact]
    public void Tables_of_different_content_have_different_versions()
    {
        var one = new RangeSources();
        one.Blocklist.Add(new BlocklistEntry("192.0.2.0/24", null, "a"));
        var two = new RangeSources();
        two.Blocklist.Add(new BlocklistEntry("192.0.2.0/24", null, "b"));

        Assert.NotEqual(RangeTable.Build(one).Version, RangeTable.Build(two).Version);
        Assert.Equal(RangeTable.Build(one).Version, RangeTable.Build(one).Version);
    }

    [Fact]
    public void A_corrupt_snapshot_is_refused()
    {
        var content = RangeSnapshot.Create(formats.Table).Content;

        Assert.Throws<InvalidDataException>(() => RangeSnapshot.Load(content.AsMemory(0, content.Length / 2)));
        Assert.Throws<InvalidDataException>(() => RangeSnapshot.Load("not a snapshot"u8.ToArray()));
    }

    [Fact]
    public async Task The_pointer_moves_only_while_its_etag_is_unchanged()
    {
        var store = new InMemoryRangeSnapshotStore();
        var ct = CancellationToken.None;

        Assert.True(await store.TryUpdatePointerAsync("v1", "b1", null, ct));
        Assert.False(await store.TryUpdatePointerAsync("v1b", "b1b", null, ct));
        var first = await store.GetPointerAsync(ct);
        Assert.True(await store.TryUpdatePointerAsync("v2", "b2", first!.ETag, ct));
        Assert.False(await store.TryUpdatePointerAsync("v3", "b3", first.ETag, ct));

        var current = await store.GetPointerAsync(ct);
        Assert.Equal(("v2", "b2"), (current!.Version, current.BlobName));
        Assert.NotEqual(first.ETag, current.ETag);
    }

    [Fact]
    public async Task The_current_table_swaps_when_the_pointer_names_a_new_version_and_not_otherwise()
    {
        var ct = CancellationToken.None;
        var store = new InMemoryRangeSnapshotStore();
        using var current = Current(store);
        var example = Example();
        var snapshot = RangeSnapshot.Create(example);

        Assert.False(await current.CheckForUpdateAsync(ct));
        await store.WriteSnapshotAsync("s1", snapshot.Content, ct);
        await store.TryUpdatePointerAsync(snapshot.Version, "s1", null, ct);
        var before = current.Table;

        Assert.True(await current.CheckForUpdateAsync(ct));
        Assert.False(await current.CheckForUpdateAsync(ct));
        Assert.NotSame(before, current.Table);
        Assert.True(current.TryGetAsn(IPAddress.Parse("100.64.1.1"), out var asn));
        Assert.Equal(64600u, asn.Number);
    }

    [Fact]
    public async Task A_pointer_to_content_of_another_version_is_refused_and_the_old_table_stays()
    {
        var ct = CancellationToken.None;
        var store = new InMemoryRangeSnapshotStore();
        using var current = Current(store);
        var example = Example();
        await store.WriteSnapshotAsync("s1", RangeSnapshot.Create(example).Content, ct);
        await store.TryUpdatePointerAsync(new string('0', 64), "s1", null, ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => current.CheckForUpdateAsync(ct));
        Assert.Same(RangeTable.Empty, current.Table);
    }

    [Fact]
    public async Task Lookups_running_during_swaps_always_see_a_whole_table()
    {
        var ct = CancellationToken.None;
        var store = new InMemoryRangeSnapshotStore();
        using var current = Current(store);
        var example = Example();
        var tables = new[] { example, RangeTable.Empty };
        using var stop = new CancellationTokenSource();
        var lookups = 0;
        var reader = Task.Run(() =>
        {
            var seen = new List<CloudRange>();
            while (!stop.IsCancellationRequested)
            {
                seen.Clear();
                current.GetCloudRanges(IPAddress.Parse("198.18.1.1"), seen);
                Assert.True(seen.Count is 0 or 2, $"saw {seen.Count} ranges");
                Interlocked.Increment(ref lookups);
            }
        }, ct);

        // Swap until the reader has looked up often enough, however late the machine schedules it.
        for (var i = 0; i < 200 || (Volatile.Read(ref lookups) < 200 && !reader.IsCompleted); i++)
        {
            current.Use(tables[i % 2]);
            await Task.Yield();
        }

        await stop.CancelAsync();
        await reader;
        Assert.True(lookups >= 200);
    }

    private static CurrentRangeTable Current(IRangeSnapshotStore store) => new(store, NullLogger<CurrentRangeTable>.Instance);

    private static RangeTable Example() => RangeTableLoader.FromDirectory(RepositoryFiles.Examples).Table;

    private static List<CloudRange> Cloud(RangeTable table, string address)
    {
        var matches = new List<CloudRange>();
        table.GetCloudRanges(IPAddress.Parse(address), matches);
        return matches;
    }
}
