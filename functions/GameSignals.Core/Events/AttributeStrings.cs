using System.Text;
using System.Text.Json;

namespace GameSignals.Events;

/// <summary>
/// Reuses the strings of low-cardinality attributes (type, source, gameid, server): a stream repeats a few
/// dozen values millions of times. Per thread, bounded; the BCL has no interning keyed by UTF-8 bytes.
/// </summary>
internal static class AttributeStrings
{
    private const int MaxEntries = 4096;
    private const int MaxLength = 128;

    [ThreadStatic]
    private static Dictionary<string, string>? t_cache;

    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var cache = t_cache ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        var value = new string(chars[..length]);
        if (cache.Count < MaxEntries)
        {
            cache[value] = value;
        }

        return value;
    }
}
