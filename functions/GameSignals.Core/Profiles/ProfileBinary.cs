namespace GameSignals.Profiles;

/// <summary>How profile parts and facts put times and optional strings in changelog records and snapshots.</summary>
internal static class ProfileBinary
{
    /// <summary>Ticks, then the offset in minutes: the outputs print times with their offsets.</summary>
    public static void WriteTime(BinaryWriter writer, DateTimeOffset time)
    {
        writer.Write(time.Ticks);
        writer.Write((short)time.Offset.TotalMinutes);
    }

    public static DateTimeOffset ReadTime(BinaryReader reader) => new(reader.ReadInt64(), TimeSpan.FromMinutes(reader.ReadInt16()));

    public static void WriteOptional(BinaryWriter writer, string? text)
    {
        writer.Write(text is not null);
        if (text is not null)
        {
            writer.Write(text);
        }
    }

    public static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
