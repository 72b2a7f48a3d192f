namespace GameSignals.IpRanges;

/// <summary>The current snapshot: its version, the blob holding it, and the pointer's ETag for conditional updates.</summary>
public sealed record RangeSnapshotPointer(string Version, string BlobName, string ETag);

/// <summary>
/// Where range snapshots live (blob storage in Azure): immutable snapshot blobs named by version, and one
/// pointer naming the current one, moved only with an ETag condition so two refreshes cannot interleave.
/// </summary>
public interface IRangeSnapshotStore
{
    /// <summary>The current pointer, or null before the first publish.</summary>
    Task<RangeSnapshotPointer?> GetPointerAsync(CancellationToken cancellationToken);

    /// <summary>The snapshot blob's content, or null when there is no such blob.</summary>
    Task<byte[]?> ReadSnapshotAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>Writes a snapshot blob (overwriting the same name is harmless: names are content hashes).</summary>
    Task WriteSnapshotAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Points to a new snapshot if the pointer's ETag is still <paramref name="expectedETag"/> (null: only if there
    /// is no pointer yet). Returns false, changing nothing, when someone else moved it first.
    /// </summary>
    Task<bool> TryUpdatePointerAsync(string version, string blobName, string? expectedETag, CancellationToken cancellationToken);
}

/// <summary>The store of replay and tests, with the same ETag semantics as blob storage.</summary>
public sealed class InMemoryRangeSnapshotStore : IRangeSnapshotStore
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private RangeSnapshotPointer? _pointer;
    private long _etag;

    public Task<RangeSnapshotPointer?> GetPointerAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_pointer);
        }
    }

    public Task<byte[]?> ReadSnapshotAsync(string blobName, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_blobs.GetValueOrDefault(blobName));
        }
    }

    public Task WriteSnapshotAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        lock (_gate)
        {
            _blobs[blobName] = content.ToArray();
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryUpdatePointerAsync(string version, string blobName, string? expectedETag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pointer?.ETag != expectedETag)
            {
                return Task.FromResult(false);
            }

            _pointer = new RangeSnapshotPointer(version, blobName, $"\"{++_etag}\"");
            return Task.FromResult(true);
        }
    }
}
