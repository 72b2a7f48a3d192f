using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GameSignals.Events;

namespace GameSignals.Pipeline;

/// <summary>The bytes that digests of an event key hash: the source's length, the source and the id (UTF-16), so no two keys hash the same bytes.</summary>
internal static class EventKeyBytes
{
    public delegate TDigest Hasher<TState, TDigest>(ReadOnlySpan<byte> text, TState state);

    public static TDigest Hash<TState, TDigest>(EventKey key, TState state, Hasher<TState, TDigest> hash)
    {
        var source = MemoryMarshal.AsBytes(key.Source.AsSpan());
        var id = MemoryMarshal.AsBytes(key.Id.AsSpan());
        var length = sizeof(int) + source.Length + id.Length;
        Span<byte> text = length <= 1024 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(text, source.Length);
        source.CopyTo(text[sizeof(int)..]);
        id.CopyTo(text[(sizeof(int) + source.Length)..]);
        return hash(text, state);
    }
}
