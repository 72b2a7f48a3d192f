namespace GameSignals.Events;

/// <summary>
/// Copies of short byte runs packed into shared arrays, for a reader that decodes from a buffer it reuses: each event
/// keeps only its <c>data</c>'s bytes, without an array (and its header) of its own. An array stays alive while any run
/// in it does. Written by hand because .NET's pools hand out arrays that must be returned, while decoded events simply
/// go out of scope. Not thread-safe: one reader owns it.
/// </summary>
public sealed class ByteSlab
{
    // Under the large object heap's threshold, so a slab is collected young with the events that refer to it.
    private const int SlabBytes = 16 * 1024;

    private byte[] _slab = [];
    private int _used;

    /// <summary>A copy of <paramref name="bytes"/> that stays valid for as long as it is referred to.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (bytes.Length > SlabBytes / 4)
        {
            return bytes.ToArray();
        }

        if (_slab.Length - _used < bytes.Length)
        {
            _slab = new byte[SlabBytes];
            _used = 0;
        }

        var copy = new Memory<byte>(_slab, _used, bytes.Length);
        bytes.CopyTo(copy.Span);
        _used += bytes.Length;
        return copy;
    }
}
