namespace GameSignals.Events;

/// <summary>
/// JSON numbers in their common short forms, read in one loop instead of the general parsers (which cost more than a
/// field's lookup): an integer of at most 18 digits, and a decimal of at most 15 digits in all. Both give exactly what
/// the parsers give; any other form (an exponent, more digits) returns false and is left to them. The bytes are a
/// number the JSON reader already accepted.
/// </summary>
internal static class JsonNumbers
{
    private const int MaxIntegerDigits = 18;
    private const int MaxDecimalDigits = 15;

    /// <summary>Powers of ten that a double holds exactly, up to the most fraction digits read.</summary>
    private static readonly double[] PowersOfTen = [.. Enumerable.Range(0, MaxDecimalDigits + 1).Select(i => Math.Pow(10, i))];

    /// <summary>An integer (no fraction, no exponent) of at most 18 digits, so it fits a long.</summary>
    public static bool TryReadInteger(ReadOnlySpan<byte> raw, out long value)
    {
        var negative = raw.Length > 0 && raw[0] == '-';
        var digits = negative ? raw[1..] : raw;
        value = 0;
        if (digits.IsEmpty || digits.Length > MaxIntegerDigits)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>
    /// An integer or a decimal without exponent, of at most 15 digits in all, as the nearest double: the digits make an
    /// integer below 2^53 and the scale a power of ten below 10^22, both exact in a double, so one division rounds
    /// correctly, as the parsers do (the fast path of Clinger's algorithm). The sign is applied last, so -0 stays negative.
    /// </summary>
    public static bool TryReadDouble(ReadOnlySpan<byte> raw, out double value)
    {
        var negative = raw.Length > 0 && raw[0] == '-';
        var text = negative ? raw[1..] : raw;
        value = 0;
        long mantissa = 0;
        var digits = 0;
        var fractionDigits = -1;
        foreach (var b in text)
        {
            var digit = b - '0';
            if ((uint)digit <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                digits++;
                fractionDigits += fractionDigits >= 0 ? 1 : 0;
            }
            else if (b == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits is 0 or > MaxDecimalDigits)
        {
            return false;
        }

        value = fractionDigits > 0 ? mantissa / PowersOfTen[fractionDigits] : mantissa;
        value = negative ? -value : value;
        return true;
    }
}
