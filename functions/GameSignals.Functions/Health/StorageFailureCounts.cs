using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using GameSignals.Admin.Health;
using GameSignals.Azure.Notifications;
using GameSignals.Azure.Pipeline;

namespace GameSignals.Functions.Health;

/// <summary>
/// The failures in Storage: blobs of the <c>deadletters</c> container last modified since the time asked (a dead
/// letter is written once; a redelivery rewrites it with the same content), and the approximate message count of
/// <c>push-requests-poison</c>. Blob names carry no date, so the container is listed, at most
/// <see cref="MaxListed"/> blobs a call (then the count is a floor); a missing container or queue counts 0.
/// </summary>
public sealed class StorageFailureCounts(BlobServiceClient blobs, QueueServiceClient queues) : IFailureCounts
{
    /// <summary>Most blobs one count lists (20 pages of 5,000).</summary>
    public const int MaxListed = 100_000;

    public async ValueTask<FailureCounts> CountAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var (deadLetters, complete) = await CountDeadLettersAsync(since, cancellationToken).ConfigureAwait(false);
        return new FailureCounts(deadLetters, complete, await CountPoisonAsync(cancellationToken).ConfigureAwait(false));
    }

    private async Task<(long Count, bool Complete)> CountDeadLettersAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        long listed = 0;
        long count = 0;
        try
        {
            var container = blobs.GetBlobContainerClient(BlobDeadLetterStore.ContainerName);
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken).ConfigureAwait(false))
            {
                if (++listed > MaxListed)
                {
                    return (count, false);
                }

                if (blob.Properties.LastModified >= since)
                {
                    count++;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No dead letter was ever written: the store creates the container with its first.
        }

        return (count, true);
    }

    private async Task<long> CountPoisonAsync(CancellationToken cancellationToken)
    {
        try
        {
            var properties = await queues.GetQueueClient(StorageQueuePushQueue.PoisonQueueName).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }
}
