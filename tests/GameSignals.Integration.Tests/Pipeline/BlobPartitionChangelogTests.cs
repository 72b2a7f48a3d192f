using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using GameSignals.Azure.Pipeline;
using GameSignals.Pipeline.State;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>The Blob changelog through Azurite: fencing of a second owner, recovery by a new instance, damage detected.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class BlobPartitionChangelogTests(LocalServices services)
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Each test under its own hub name, so tests never see each other's blobs.
    private readonly string _hub = "hub-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_new_instance_reads_every_batch_and_an_owner_whose_lease_was_stolen_cannot_append()
    {
        var owner = new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString));
        var position = await owner.AppendAsync(_hub, "0", Bytes("batch 1"), ChangelogPosition.Empty, None);
        position = await owner.AppendAsync(_hub, "0", Bytes("batch 2"), position, None);

        // A second instance takes the partition over, loads the changelog and appends its first batch.
        var thief = new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString));
        var loaded = await thief.ReadAsync(_hub, "0", None);
        Assert.Equal(["batch 1", "batch 2"], loaded.Records.Select(Text));
        Assert.Null(loaded.DamagedAt);
        Assert.Equal(position, loaded.Next);
        await thief.AppendAsync(_hub, "0", Bytes("batch 3 by the new owner"), loaded.Next, None);

        // The old owner, still running its batch, is fenced: its append fails and nothing of it lands.
        await Assert.ThrowsAsync<ChangelogFencedException>(() => owner.AppendAsync(_hub, "0", Bytes("batch 3 by the old owner"), position, None).AsTask());
        Assert.Equal(["batch 1", "batch 2", "batch 3 by the new owner"], (await owner.ReadAsync(_hub, "0", None)).Records.Select(Text));
    }

    [Fact]
    public async Task Two_new_owners_cannot_both_start_a_changelog()
    {
        var a = new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString));
        var b = new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString));
        await a.AppendAsync(_hub, "1", Bytes("a"), ChangelogPosition.Empty, None);
        await Assert.ThrowsAsync<ChangelogFencedException>(() => b.AppendAsync(_hub, "1", Bytes("b"), ChangelogPosition.Empty, None).AsTask());
        Assert.Equal(["a"], (await b.ReadAsync(_hub, "1", None)).Records.Select(Text));
    }

    [Fact]
    public async Task A_torn_append_is_detected_and_the_records_before_it_are_kept()
    {
        var changelog = new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString));
        var position = await changelog.AppendAsync(_hub, "2", Bytes("good"), ChangelogPosition.Empty, None);

        // Half a frame, as a writer dying mid-block (or a corrupted block) would leave.
        var blob = new BlobServiceClient(services.StorageConnectionString).GetBlobContainerClient(BlobPartitionChangelog.ContainerName)
            .GetAppendBlobClient($"{_hub}/2/changelog");
        var frame = ChangelogFraming.Frame(Encoding.UTF8.GetBytes("lost"));
        using (var half = new MemoryStream(frame[..(frame.Length / 2)]))
        {
            await blob.AppendBlockAsync(half);
        }

        var read = await changelog.ReadAsync(_hub, "2", None);
        Assert.Equal(["good"], read.Records.Select(Text));
        Assert.Equal(position.Length, read.DamagedAt);
    }

    [Fact]
    public async Task A_partition_without_a_changelog_reads_empty()
    {
        var read = await new BlobPartitionChangelog(new BlobServiceClient(services.StorageConnectionString)).ReadAsync(_hub, "9", None);
        Assert.Empty(read.Records);
        Assert.Equal(ChangelogPosition.Empty, read.Next);
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> record) => Encoding.UTF8.GetString(record.Span);
}
