using System.Buffers.Binary;
using System.IO.Hashing;

namespace GameSignals.Pipeline.State;

/// <summary>
/// How records sit in a changelog: a 4-byte little-endian length, the record, and the CRC-64 of the record (8 bytes).
/// A crash in the middle of an append leaves a truncated frame and a flipped bit a bad checksum; both are found on
/// read. Hand-written because it is a dozen lines over the SDK's CRC; no library frames records this way.
/// </summary>
public static class ChangelogFraming
{
    private const int HeaderLength = sizeof(int);
    private const int ChecksumLength = sizeof(ulong);

    /// <summary>The record framed for one append.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> record)
    {
        var frame = new byte[HeaderLength + record.Length + ChecksumLength];
        BinaryPrimitives.WriteInt32LittleEndian(frame, record.Length);
        record.CopyTo(frame.AsSpan(HeaderLength));
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(HeaderLength + record.Length), Crc64.HashToUInt64(record));
        return frame;
    }

    /// <summary>The intact records of <paramref name="changelog"/> in order, and the offset of the first damaged frame (null if none).</summary>
    public static (List<ReadOnlyMemory<byte>> Records, long? DamagedAt) Parse(ReadOnlyMemory<byte> changelog)
    {
        var records = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < changelog.Length)
        {
            var rest = changelog.Span[offset..];
            if (rest.Length < HeaderLength + ChecksumLength)
            {
                return (records, offset);
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(rest);
            if (length < 0 || length > rest.Length - HeaderLength - ChecksumLength)
            {
                return (records, offset);
            }

            var record = changelog.Slice(offset + HeaderLength, length);
            if (Crc64.HashToUInt64(record.Span) != BinaryPrimitives.ReadUInt64LittleEndian(rest[(HeaderLength + length)..]))
            {
                return (records, offset);
            }

            records.Add(record);
            offset += HeaderLength + length + ChecksumLength;
        }

        return (records, null);
    }
}
