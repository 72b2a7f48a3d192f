using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using GameSignals.IpRanges;

namespace GameSignals.Azure.IpRanges;

/// <summary>
/// Range snapshots in the blob container <c>ipranges</c>: each snapshot an immutable blob named by its version
/// (the content hash), and the small blob <c>current</c> naming the one in use. The pointer moves only under a
/// condition: If-Match its ETag, or If-None-Match <c>*</c> for the first publish; 412 or 409 means another
/// refresh moved it first.
/// </summary>
public sealed class BlobRangeSnapshotStore : IRangeSnapshotStore
{
    public const string ContainerName = "ipranges";
    public const string PointerBlobName = "current";

    private readonly BlobContainerClient _container;

    public BlobRangeSnapshotStore(BlobServiceClient service)
        : this((service ?? throw new ArgumentNullException(nameof(service))).GetBlobContainerClient(ContainerName))
    {
    }

    /// <summary>A store in another container (tests give each their own).</summary>
    internal BlobRangeSnapshotStore(BlobContainerClient container) => _container = container;

    public async Task<RangeSnapshotPointer?> GetPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(PointerBlobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var pointer = JsonSerializer.Deserialize(response.Value.Content.ToMemory().Span, SnapshotPointerJson.Default.PointerBody)
                ?? throw new InvalidDataException("The range snapshot pointer blob is empty.");
            return new RangeSnapshotPointer(pointer.Version, pointer.BlobName, response.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (IsMissing(e))
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The range snapshot pointer blob is not a pointer.", e);
        }
    }

    public async Task<byte[]?> ReadSnapshotAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (IsMissing(e))
        {
            return null;
        }
    }

    public async Task WriteSnapshotAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        // Names are content hashes: a blob already there holds these very bytes, so it is never rewritten.
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await UploadAsync(blobName, BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsTaken(e))
        {
        }
    }

    public async Task<bool> TryUpdatePointerAsync(string version, string blobName, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(blobName);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Conditions = expectedETag is null
                ? new BlobRequestConditions { IfNoneMatch = ETag.All }
                : new BlobRequestConditions { IfMatch = new ETag(expectedETag) },
        };
        var body = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(new PointerBody(version, blobName), SnapshotPointerJson.Default.PointerBody));
        try
        {
            await UploadAsync(PointerBlobName, body, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (IsTaken(e) || (expectedETag is not null && IsMissing(e)))
        {
            return false;
        }
    }

    private async Task UploadAsync(string blobName, BinaryData content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(blobName);
        try
        {
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // First publish to a new account: create the container once and write again.
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsMissing(RequestFailedException e) => e.Status == 404;

    /// <summary>412: the ETag condition failed; 409: If-None-Match * found a blob already there.</summary>
    private static bool IsTaken(RequestFailedException e) => e.Status is 409 or 412;
}

/// <summary>The pointer blob's content.</summary>
internal sealed record PointerBody(string Version, string BlobName);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PointerBody))]
internal sealed partial class SnapshotPointerJson : JsonSerializerContext;
