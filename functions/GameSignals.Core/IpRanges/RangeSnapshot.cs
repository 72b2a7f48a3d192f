using System.Security.Cryptography;
using System.Text;

namespace GameSignals.IpRanges;

/// <summary>
/// The binary serialization of a <see cref="RangeTable"/>: the blob the refresh publishes and every
/// instance loads. <see cref="Version"/> is the SHA-256 (lowercase hex) of <see cref="Content"/>, and the
/// content is written in the table's canonical order, so equal tables have equal versions.
/// </summary>
public sealed record RangeSnapshot(string Version, byte[] Content)
{
    // Layout (little-endian, BinaryWriter): magic "GSIR", format, string table, cloud entries, ASN rows, blocklist entries.
    private const uint Magic = 0x52495347; // "GSIR"
    private const int Format = 1;

    public static RangeSnapshot Create(RangeTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sources = table.ToSources();
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var stringList = new List<string>();
        int Index(string? text)
        {
            if (text is null)
            {
                return -1;
            }

            if (!strings.TryGetValue(text, out var index))
            {
                index = strings[text] = stringList.Count;
                stringList.Add(text);
            }

            return index;
        }

        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(sources.Cloud.Count);
            foreach (var (prefix, range) in sources.Cloud)
            {
                WriteKey(writer, prefix.Start);
                writer.Write(prefix.Length);
                writer.Write(Index(range.Provider));
                writer.Write(Index(range.Service));
                writer.Write(Index(range.Region));
            }

            writer.Write(sources.Asn.Count);
            foreach (var row in sources.Asn)
            {
                WriteKey(writer, row.Start);
                WriteKey(writer, row.End);
                writer.Write(row.Number);
                writer.Write(Index(row.Name));
                writer.Write(Index(row.Country));
            }

            writer.Write(sources.Blocklist.Count);
            foreach (var entry in sources.Blocklist)
            {
                writer.Write(Index(entry.Cidr));
                writer.Write(entry.Asn ?? 0);
                writer.Write(Index(entry.Reason));
                writer.Write(entry.Expires?.UtcTicks ?? -1);
                writer.Write(Index(entry.AddedBy));
                writer.Write(Index(entry.Id));
            }
        }

        using var all = new MemoryStream();
        using (var writer = new BinaryWriter(all, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Format);
            writer.Write(stringList.Count);
            stringList.ForEach(writer.Write);
            writer.Write(body.GetBuffer(), 0, (int)body.Length);
        }

        var content = all.ToArray();
        return new RangeSnapshot(Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    /// <summary>Reads a snapshot back into a table whose <see cref="RangeTable.Version"/> is the content's hash.</summary>
    /// <exception cref="InvalidDataException">The content is not a snapshot of a known format.</exception>
    public static RangeTable Load(ReadOnlyMemory<byte> content)
    {
        var version = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Format)
            {
                throw new InvalidDataException("Not an IP range snapshot of format 1.");
            }

            var strings = new string[reader.ReadInt32()];
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = reader.ReadString();
            }

            string? Text(int index) => index < 0 ? null : strings[index];
            var sources = new RangeSources();
            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                var prefix = new IpPrefix(ReadKey(reader), reader.ReadByte());
                sources.Cloud.Add(new CloudEntry(prefix, new CloudRange(
                    strings[reader.ReadInt32()], strings[reader.ReadInt32()], strings[reader.ReadInt32()], prefix.ToString())));
            }

            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                sources.Asn.Add(new AsnRow(ReadKey(reader), ReadKey(reader), reader.ReadUInt32(), strings[reader.ReadInt32()], Text(reader.ReadInt32())));
            }

            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                var cidr = Text(reader.ReadInt32());
                var asn = reader.ReadUInt32();
                var reason = strings[reader.ReadInt32()];
                var expires = reader.ReadInt64();
                sources.Blocklist.Add(new BlocklistEntry(cidr, cidr is null ? asn : null, reason,
                    expires < 0 ? null : new DateTimeOffset(expires, TimeSpan.Zero), Text(reader.ReadInt32()), Text(reader.ReadInt32())));
            }

            return RangeTable.Build(sources, version);
        }
        catch (Exception e) when (e is EndOfStreamException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException("The IP range snapshot is truncated or corrupt.", e);
        }
    }

    private static void WriteKey(BinaryWriter writer, UInt128 key)
    {
        writer.Write((ulong)(key >> 64));
        writer.Write((ulong)key);
    }

    private static UInt128 ReadKey(BinaryReader reader)
    {
        var high = reader.ReadUInt64();
        return new UInt128(high, reader.ReadUInt64());
    }
}
