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
    /// <summary>Bytes before the record: a writer that frames in place (<see cref="Close"/>) leaves these free first.</summary>
    public const int HeaderLength = sizeof(int);

    private const int ChecksumLength = sizeof(ulong);

    /// <summary>The record framed for one append.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> record)
    {
        var frame = new byte[HeaderLength + record.Length + ChecksumLength];
        record.CopyTo(frame.AsSpan(HeaderLength));
        WriteFrame(frame, record.Length);
        return frame;
    }

    /// <summary>
    /// Frames in place the record <paramref name="stream"/> holds after <see cref="HeaderLength"/> free bytes: a batch's
    /// record is framed where it was written, without the copy <see cref="Frame"/> makes. Valid until the stream changes.
    /// </summary>
    public static ReadOnlyMemory<byte> Close(MemoryStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var recordLength = (int)stream.Length - HeaderLength;
        stream.Position = stream.Length;
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        stream.Write(checksum);
        var frame = stream.GetBuffer().AsMemory(0, (int)stream.Length);
        WriteFrame(frame.Span, recordLength);
        return frame;
    }

    private static void WriteFrame(Span<byte> frame, int recordLength)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame, recordLength);
        var record = frame.Slice(HeaderLength, recordLength);
        BinaryPrimitives.WriteUInt64LittleEndian(frame[(HeaderLength + recordLength)..], Crc64.HashToUInt64(record));
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
