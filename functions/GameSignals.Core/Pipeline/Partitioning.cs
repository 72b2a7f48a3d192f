using System.Text;

namespace GameSignals.Pipeline;

/// <summary>
/// Stable assignment of a partition key to one of N partitions, as producers do with <c>userid</c>.
/// Replay and tests use it to spread a stream the way Event Hubs would; the hash is FNV-1a because
/// <see cref="string.GetHashCode()"/> differs between processes.
/// </summary>
public static class Partitioning
{
    public static int PartitionFor(string key, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }
}
