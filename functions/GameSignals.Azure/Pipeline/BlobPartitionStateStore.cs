using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using GameSignals.Pipeline.State;

namespace GameSignals.Azure.Pipeline;

/// <summary>
/// Partition state in the container <c>partition-state</c>: per hub and partition, generation n's snapshot is the block
/// blob <c>{hub}/{partition}/snapshot-{n}</c> and its changelog the append blob <c>{hub}/{partition}/changelog-{n}</c>
/// (n in 19 digits, so names sort by generation). Each append is one block, conditioned on the append position and the
/// ETag its writer last saw; Blob Storage answers 412 when another instance appended since, or 409 when it created the
/// changelog first, which is the fencing of a stolen lease.
/// </summary>
public sealed class BlobPartitionStateStore(BlobServiceClient service) : IPartitionStateStore
{
    public const string ContainerName = "partition-state";

    private const string SnapshotPrefix = "snapshot-";
    private const string ChangelogPrefix = "changelog-";

    private readonly BlobContainerClient _container = (service ?? throw new ArgumentNullException(nameof(service))).GetBlobContainerClient(ContainerName);

    /// <summary>The Blob service the state is kept in (the health page checks it when it is not the app's main account).</summary>
    public BlobServiceClient Service { get; } = service;

    public async ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        var newest = (await GenerationsAsync(hub, partition, cancellationToken).ConfigureAwait(false)).TakeLast(2).ToList();
        var loaded = new List<StoredGeneration>(newest.Count);
        foreach (var generation in newest)
        {
            var snapshot = await DownloadAsync(_container.GetBlobClient(NameOf(hub, partition, SnapshotPrefix, generation)), cancellationToken).ConfigureAwait(false);
            var changelog = await DownloadAsync(ChangelogOf(hub, partition, generation), cancellationToken).ConfigureAwait(false);
            var next = changelog is { } log
                ? new ChangelogPosition(generation, log.Bytes.Length, log.ETag.ToString())
                : new ChangelogPosition(generation, 0, null);
            loaded.Add(new StoredGeneration(generation, snapshot?.Bytes, changelog?.Bytes ?? ReadOnlyMemory<byte>.Empty, next));
        }

        return loaded;
    }

    public async ValueTask<ChangelogPosition> AppendAsync(
        string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var blob = ChangelogOf(hub, partition, expected.Generation);
        try
        {
            ETag version;
            if (expected.Version is { } known)
            {
                version = new ETag(known);
            }
            else if (expected.Generation == 0 && (await GenerationsAsync(hub, partition, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                version = await CreateChangelogAsync(blob, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new ChangelogFencedException($"The state of {hub}/{partition} moved on to another generation than {expected.Generation}.");
            }

            using var content = BinaryData.FromBytes(frame).ToStream();
            var options = new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = expected.Length, IfMatch = version },
            };
            var appended = (await blob.AppendBlockAsync(content, options, cancellationToken).ConfigureAwait(false)).Value;
            return new ChangelogPosition(expected.Generation, expected.Length + frame.Length, appended.ETag.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            throw new ChangelogFencedException($"Another instance wrote the state of {hub}/{partition} after generation {expected.Generation} position {expected.Length}.", ex);
        }
    }

    public async ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken)
    {
        // The snapshot first: a changelog is never without the snapshot it follows. Two owners racing here write equal
        // states (the last generation was sealed); only one creates the changelog, the other is fenced.
        await UploadAsync(_container.GetBlobClient(NameOf(hub, partition, SnapshotPrefix, generation)), snapshot, cancellationToken).ConfigureAwait(false);
        ETag version;
        try
        {
            version = await CreateChangelogAsync(ChangelogOf(hub, partition, generation), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new ChangelogFencedException($"Generation {generation} of {hub}/{partition} was already started by another owner.", ex);
        }

        foreach (var old in (await GenerationsAsync(hub, partition, cancellationToken).ConfigureAwait(false)).Where(g => g < generation - 1))
        {
            await _container.GetBlobClient(NameOf(hub, partition, SnapshotPrefix, old)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await ChangelogOf(hub, partition, old).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new ChangelogPosition(generation, 0, version.ToString());
    }

    /// <summary>The generations that have a changelog or a snapshot, in order.</summary>
    private async Task<List<long>> GenerationsAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        var prefix = $"{hub}/{partition}/";
        var generations = new SortedSet<long>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
            {
                var name = item.Name[prefix.Length..];
                var digits = name.StartsWith(SnapshotPrefix, StringComparison.Ordinal) ? name[SnapshotPrefix.Length..]
                    : name.StartsWith(ChangelogPrefix, StringComparison.Ordinal) ? name[ChangelogPrefix.Length..]
                    : null;
                if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
                {
                    generations.Add(generation);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No partition has state yet.
        }

        return [.. generations];
    }

    /// <summary>Creates an empty changelog only if none exists: two owners cannot both start it.</summary>
    private async Task<ETag> CreateChangelogAsync(AppendBlobClient blob, CancellationToken cancellationToken)
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

    private async Task UploadAsync(BlobClient blob, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(ReadOnlyMemory<byte> Bytes, ETag ETag)?> DownloadAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var download = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            return (download.Content.ToMemory(), download.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private AppendBlobClient ChangelogOf(string hub, string partition, long generation) =>
        _container.GetAppendBlobClient(NameOf(hub, partition, ChangelogPrefix, generation));

    private static string NameOf(string hub, string partition, string prefix, long generation) =>
        string.Create(CultureInfo.InvariantCulture, $"{hub}/{partition}/{prefix}{generation:D19}");
}
