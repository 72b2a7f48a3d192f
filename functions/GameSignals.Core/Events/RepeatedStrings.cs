using System.IO.Hashing;
using System.Text;

namespace GameSignals.Events;

/// <summary>
/// The strings a stream repeats from one event of a player to the next (user and character ids, devices, addresses,
/// zones), handed out again when the same bytes come back: decoding a new string for each was a sixth of what replay
/// allocated, and every event of a player's session repeats them. One table a thread; each slot holds the last string
/// whose bytes hash there, so a value that does not repeat costs only its hash. Only ASCII values of up to
/// <see cref="MaxLength"/> bytes are kept, the form of ids (longer ones, such as receipts, rarely repeat).
/// </summary>
internal sealed class RepeatedStrings
{
    private const int Slots = 16384; // a power of two: 128 KB of references a thread, and at most about 2 MB of strings
    private const int MaxLength = 64;

    [ThreadStatic]
    private static RepeatedStrings? _current;

    private readonly string?[] _slots = new string?[Slots];

    public static RepeatedStrings Current => _current ??= new RepeatedStrings();

    /// <summary>The string of the ASCII bytes <paramref name="ascii"/>.</summary>
    public string Get(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length > MaxLength)
        {
            return Encoding.ASCII.GetString(ascii);
        }

        ref var slot = ref _slots[(int)XxHash3.HashToUInt64(ascii) & (Slots - 1)];
        if (slot is { } known && Ascii.Equals(ascii, known))
        {
            return known;
        }

        return slot = Encoding.ASCII.GetString(ascii);
    }
}
