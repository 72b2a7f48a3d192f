using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using GameSignals.Azure.Pipeline;
using GameSignals.Events;
using GameSignals.Pipeline.State;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>
/// Partition state on Blob Storage through Azurite: recovery from a snapshot and the changelog after it, fencing of an
/// owner whose lease was stolen, two owners racing for a generation, and a torn append found on load.
/// </summary>
[Collection(LocalServicesGroup.Name)]
public sealed class BlobPartitionStateStoreTests(LocalServices services)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    // Each test under its own hub name, so tests never see each other's blobs.
    private readonly string _hub = "hub-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_new_owner_recovers_from_the_newest_snapshot_and_the_changelog_after_it_and_only_two_generations_are_kept()
    {
        var owner = TestStates.Over(Store(), snapshotEveryRecords: 2);
        var state = await owner.AcquireAsync(_hub, "0", None);
        for (var i = 1; i <= 7; i++)
        {
            Commit(state, i);
            await owner.CommitAsync(state, None);
        }

        var recovered = await TestStates.Over(Store()).AcquireAsync(_hub, "0", None);

        Assert.Equal((7L, 7), (recovered.Watermark, recovered.Window.Count));
        Assert.True(recovered.Window.Contains(new EventKey("/s", "e1")));
        Assert.Equal(["changelog-2", "changelog-3", "snapshot-2", "snapshot-3"], await BlobNamesAsync("0"));
    }

    [Fact]
    public async Task An_owner_whose_lease_was_stolen_cannot_append_and_the_new_owners_state_is_what_remains()
    {
        var old = TestStates.Over(Store());
        var oldState = await old.AcquireAsync(_hub, "1", None);
        Commit(oldState, 1);
        await old.CommitAsync(oldState, None);

        var thief = TestStates.Over(Store());
        var thiefState = await thief.AcquireAsync(_hub, "1", None);
        Commit(thiefState, 2);
        await thief.CommitAsync(thiefState, None);

        Commit(oldState, 2, id: "by-the-old-owner");
        await Assert.ThrowsAsync<ChangelogFencedException>(() => old.CommitAsync(oldState, None).AsTask());
        var durable = await TestStates.Over(Store()).AcquireAsync(_hub, "1", None);
        Assert.True(durable.Window.Contains(new EventKey("/s", "e2")));
        Assert.False(durable.Window.Contains(new EventKey("/s", "by-the-old-owner")));
    }

    [Fact]
    public async Task Two_owners_cannot_both_start_a_generation_or_both_create_the_first_changelog()
    {
        var a = Store();
        var b = Store();
        await a.AppendAsync(_hub, "2", ChangelogFraming.Frame([1]), ChangelogPosition.Empty, None);
        await Assert.ThrowsAsync<ChangelogFencedException>(() => b.AppendAsync(_hub, "2", ChangelogFraming.Frame([2]), ChangelogPosition.Empty, None).AsTask());

        await a.StartGenerationAsync(_hub, "2", 1, ChangelogFraming.Frame([3]), None);
        await Assert.ThrowsAsync<ChangelogFencedException>(() => b.StartGenerationAsync(_hub, "2", 1, ChangelogFraming.Frame([4]), None).AsTask());
    }

    [Fact]
    public async Task A_torn_append_is_found_on_load_and_the_state_continues_in_a_new_generation_from_the_records_before_it()
    {
        var owner = TestStates.Over(Store());
        var state = await owner.AcquireAsync(_hub, "3", None);
        Commit(state, 1);
        await owner.CommitAsync(state, None);

        // Half a frame, as a writer dying mid-block would leave.
        var frame = ChangelogFraming.Frame(Encoding.UTF8.GetBytes("lost"));
        using (var half = new MemoryStream(frame[..(frame.Length / 2)]))
        {
            await Container().GetAppendBlobClient($"{_hub}/3/changelog-{0:D19}").AppendBlockAsync(half);
        }

        var recovered = await TestStates.Over(Store()).AcquireAsync(_hub, "3", None);

        Assert.Equal((1L, 1), (recovered.Watermark, recovered.Window.Count));
        Assert.Equal(["changelog-0", "changelog-1", "snapshot-1"], await BlobNamesAsync("3"));
    }

    [Fact]
    public async Task A_partition_without_state_loads_empty()
    {
        var state = await TestStates.Over(Store()).AcquireAsync(_hub, "9", None);
        Assert.Equal((PartitionState.NoEvents, 0), (state.Watermark, state.Window.Count));
    }

    private BlobPartitionStateStore Store() => new(new BlobServiceClient(services.StorageConnectionString));

    private BlobContainerClient Container() =>
        new BlobServiceClient(services.StorageConnectionString).GetBlobContainerClient(BlobPartitionStateStore.ContainerName);

    /// <summary>What one batch of one event changes in the state.</summary>
    private static void Commit(PartitionState state, long sequence, string? id = null)
    {
        state.Window.Add(new EventKey("/s", id ?? $"e{sequence}"), T0.AddMinutes(sequence));
        state.Watermark = sequence;
    }

    private async Task<List<string>> BlobNamesAsync(string partition)
    {
        var prefix = $"{_hub}/{partition}/";
        var names = new List<string>();
        await foreach (var blob in Container().GetBlobsAsync(new global::Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            var name = blob.Name[prefix.Length..];
            names.Add(name[..(name.IndexOf('-', StringComparison.Ordinal) + 1)] + long.Parse(name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
