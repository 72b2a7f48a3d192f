using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GameSignals.Azure.Pipeline;
using GameSignals.Events;

namespace GameSignals.Integration.Tests;

[Collection(LocalServicesGroup.Name)]
public sealed class BlobDeadLetterStoreTests(LocalServices services)
{
    private readonly BlobServiceClient _blobs = new(services.StorageConnectionString);

    // Each test writes under its own hub name, so tests never see each other's blobs.
    private readonly string _hub = "hub-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_dead_letter_is_kept_as_its_original_bytes_with_its_reason_and_position()
    {
        var store = new BlobDeadLetterStore(_blobs);
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"é-1","time":"yesterday"}""");
        var letter = Letter(body, sequence: 42, reason: DeadLetterReasons.InvalidTime, detail: "time is not RFC 3339: 'yesterday'", eventId: "é-1");

        await store.WriteAsync([letter], CancellationToken.None);

        var blob = Container().GetBlobClient(letter.Name);
        Assert.Equal(body, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata.ToDictionary(m => m.Key, m => Uri.UnescapeDataString(m.Value));
        Assert.Equal(DeadLetterReasons.InvalidTime, metadata["reason"]);
        Assert.Equal("time is not RFC 3339: 'yesterday'", metadata["detail"]);
        Assert.Equal((_hub, "7", "4200", "42", "é-1"), (metadata["hub"], metadata["partition"], metadata["offset"], metadata["sequencenumber"], metadata["eventid"]));
        var tags = (await blob.GetTagsAsync()).Value.Tags;
        Assert.Equal((DeadLetterReasons.InvalidTime, _hub, "7"), (tags["reason"], tags["hub"], tags["partition"]));
    }

    [Fact]
    public async Task Writing_the_same_dead_letters_again_leaves_one_blob_each_with_the_same_content()
    {
        var store = new BlobDeadLetterStore(_blobs);
        DeadLetter[] letters = [Letter("{"u8.ToArray(), sequence: 1), Letter("[1,"u8.ToArray(), sequence: 2)];

        await store.WriteAsync(letters, CancellationToken.None);
        await store.WriteAsync(letters, CancellationToken.None);

        var names = new List<string>();
        await foreach (var item in Container().GetBlobsAsync(BlobTraits.None, BlobStates.None, _hub + "/", CancellationToken.None))
        {
            names.Add(item.Name);
        }

        Assert.Equal(letters.Select(l => l.Name).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal("[1,"u8.ToArray(), (await Container().GetBlobClient(letters[1].Name).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task The_first_dead_letter_in_a_new_account_creates_the_container()
    {
        await Container().DeleteIfExistsAsync();
        var store = new BlobDeadLetterStore(_blobs);
        var letter = Letter("nope"u8.ToArray(), sequence: 5);

        await store.WriteAsync([letter], CancellationToken.None);

        Assert.True((await Container().GetBlobClient(letter.Name).ExistsAsync()).Value);
    }

    private BlobContainerClient Container() => _blobs.GetBlobContainerClient(BlobDeadLetterStore.ContainerName);

    private DeadLetter Letter(byte[] body, long sequence, string reason = DeadLetterReasons.InvalidJson, string detail = "bad", string? eventId = null) =>
        new(reason, detail, eventId, null, body, new MessageOrigin(_hub, "7", sequence, $"{sequence * 100}", DateTimeOffset.UnixEpoch), 0);
}
