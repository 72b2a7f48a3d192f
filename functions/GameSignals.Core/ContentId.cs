using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace GameSignals;

/// <summary>
/// The contract's deterministic ids: the first 16 bytes of the SHA-256 of a text's UTF-8, as lower hex. The text is
/// formatted into a buffer the caller puts on the stack and encoded on the stack: a notification's or flag's id had its
/// text and its bytes as two allocations.
/// </summary>
internal static class ContentId
{
    /// <summary>
    /// The id of the interpolated text, formatted with <paramref name="invariant"/> (the invariant culture, so that no
    /// machine's settings change an id) into <paramref name="buffer"/> while it is long enough.
    /// </summary>
    public static string Of(
        CultureInfo invariant, Span<char> buffer, [InterpolatedStringHandlerArgument(nameof(invariant), nameof(buffer))] ref DefaultInterpolatedStringHandler text)
    {
        var chars = text.Text;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(chars.Length);
        Span<byte> utf8 = maxBytes <= 1024 ? stackalloc byte[1024] : new byte[maxBytes];
        var bytes = Encoding.UTF8.GetBytes(chars, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..bytes], hash);
        text.Clear();
        return Convert.ToHexStringLower(hash[..16]);
    }
}
