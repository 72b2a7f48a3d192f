using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using GameSignals.Pipeline.State;

namespace GameSignals.Azure.Pipeline;

/// <summary>
/// Partition changelogs as append blobs <c>{hub}/{partition}/changelog</c> in the container <c>partition-state</c>.
/// Each append is one block, conditioned on the append position and the ETag its writer last saw; Blob Storage
/// answers 412 when another instance appended (or created the blob) since, which is the fencing of a stolen lease.
/// </summary>
public sealed class BlobPartitionChangelog(BlobServiceClient service) : IPartitionChangelog
{
    public const string ContainerName = "partition-state";

    private readonly BlobContainerClient _container = (service ?? throw new ArgumentNullException(nameof(service))).GetBlobContainerClient(ContainerName);

    public async ValueTask<ChangelogRead> ReadAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        try
        {
            var download = (await BlobOf(hub, partition).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var bytes = download.Content.ToMemory();
            var (records, damagedAt) = ChangelogFraming.Parse(bytes);
            return new ChangelogRead(records, new ChangelogPosition(bytes.Length, download.Details.ETag.ToString()), damagedAt);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new ChangelogRead([], ChangelogPosition.Empty, null);
        }
    }

    public async ValueTask<ChangelogPosition> AppendAsync(
        string hub, string partition, ReadOnlyMemory<byte> record, ChangelogPosition expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var blob = BlobOf(hub, partition);
        try
        {
            var version = expected.Version is { } known ? new ETag(known) : await CreateAsync(blob, cancellationToken).ConfigureAwait(false);
            using var frame = new MemoryStream(ChangelogFraming.Frame(record.Span), writable: false);
            var options = new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = expected.Length, IfMatch = version },
            };
            var appended = (await blob.AppendBlockAsync(frame, options, cancellationToken).ConfigureAwait(false)).Value;
            return new ChangelogPosition(expected.Length + frame.Length, appended.ETag.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new ChangelogFencedException($"Another instance wrote the changelog of {hub}/{partition} after position {expected.Length}.", ex);
        }
    }

    /// <summary>The first append creates the blob, only if none exists: two new owners cannot both start it.</summary>
    private async Task<ETag> CreateAsync(AppendBlobClient blob, CancellationToken cancellationToken)
    {
        var options = new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            return (await blob.CreateAsync(options, cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (await blob.CreateAsync(options, cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
    }

    private AppendBlobClient BlobOf(string hub, string partition) => _container.GetAppendBlobClient($"{hub}/{partition}/changelog");
}
