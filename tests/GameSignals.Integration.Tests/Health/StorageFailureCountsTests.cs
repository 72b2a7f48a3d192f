using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GameSignals.Azure.Notifications;
using GameSignals.Azure.Pipeline;
using GameSignals.Events;
using GameSignals.Functions.Health;

namespace GameSignals.Integration.Tests.Health;

/// <summary>The Health page's failure counts over Azurite (the collection's tests run one at a time, so counts move only by this test's writes).</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class StorageFailureCountsTests(LocalServices services)
{
    private readonly BlobServiceClient _blobs = new(services.StorageConnectionString);
    private readonly QueueServiceClient _queues = new(services.StorageConnectionString);

    [Fact]
    public async Task Dead_letters_written_in_the_window_and_poisoned_push_requests_are_counted()
    {
        var counts = new StorageFailureCounts(_blobs, _queues);
        var poison = _queues.GetQueueClient(StorageQueuePushQueue.PoisonQueueName);
        await poison.CreateIfNotExistsAsync();
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var before = await counts.CountAsync(since, CancellationToken.None);

        var hub = "hub-" + Guid.NewGuid().ToString("N")[..8];
        var origin = new MessageOrigin(hub, "0", 1, "1", DateTimeOffset.UtcNow);
        await new BlobDeadLetterStore(_blobs).WriteAsync(
            [new DeadLetter(DeadLetterReasons.InvalidJson, "bad", null, null, "{"u8.ToArray(), origin, 0), new DeadLetter(DeadLetterReasons.InvalidJson, "bad", null, null, "[1,"u8.ToArray(), origin, 1)],
            CancellationToken.None);
        var sent = new[] { await poison.SendMessageAsync("e30="), await poison.SendMessageAsync("e30=") };
        try
        {
            var after = await counts.CountAsync(since, CancellationToken.None);

            Assert.Equal((before.DeadLetters + 2, true, before.PushPoison + 2), (after.DeadLetters, after.DeadLettersComplete, after.PushPoison));
            Assert.Equal(0, (await counts.CountAsync(DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None)).DeadLetters);
        }
        finally
        {
            foreach (var message in sent)
            {
                await poison.DeleteMessageAsync(message.Value.MessageId, message.Value.PopReceipt);
            }
        }
    }
}
