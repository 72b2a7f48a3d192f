namespace GameSignals.Cli.Generate;

/// <summary>A generated event id: 128 random bits written in the UUID form 8-4-4-4-12, kept as two numbers until needed as text.</summary>
internal readonly record struct EventId(ulong First, ulong Second)
{
    public const int Length = 36;

    public static EventId Next(SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new(random.NextUInt64(), random.NextUInt64());
    }

    /// <summary>Writes the 36 ASCII characters of the id.</summary>
    public void Format(Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[16];
        BitConverter.TryWriteBytes(raw, First);
        BitConverter.TryWriteBytes(raw[8..], Second);
        var hex = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                destination[hex++] = (byte)'-';
            }

            destination[hex++] = (byte)"0123456789abcdef"[raw[i] >> 4];
            destination[hex++] = (byte)"0123456789abcdef"[raw[i] & 0xf];
        }
    }

    public override string ToString()
    {
        Span<byte> text = stackalloc byte[Length];
        Format(text);
        return System.Text.Encoding.ASCII.GetString(text);
    }
}
