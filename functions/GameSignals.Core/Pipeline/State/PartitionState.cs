using System.Runtime.InteropServices;
using System.Text;

namespace GameSignals.Pipeline.State;

/// <summary>
/// What one owned partition of one hub remembers in memory (docs/design.md, "State with its partition"): the event keys
/// it processed (<see cref="Window"/>), the last sequence number whose effects it holds (<see cref="Watermark"/>), and each
/// capability's <see cref="IPartitionStatePart"/>. <see cref="PartitionStates"/> loads it, appends each batch's changes
/// to the changelog and writes its snapshots; stages reach it through <see cref="EventBatch.State"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Its memory stream and the writer over it hold only managed buffers; disposing them frees nothing.")]
public sealed class PartitionState
{
    private const byte BatchRecord = 1;
    private const byte SealRecord = 2;
    private const byte SnapshotFormat = 2;

    private readonly Dictionary<string, IPartitionStatePart> _parts;

    // Reused for every record: a batch's record is written, framed and appended from one buffer, which grows once.
    private readonly MemoryStream _record = new();
    private readonly BinaryWriter _recordWriter;
    private long _recordedWatermark;

    internal PartitionState(string hub, string partition, TimeSpan window, ulong seed, IEnumerable<PartitionStatePartType> parts)
    {
        Hub = hub;
        Partition = partition;
        Name = $"{hub}/{partition}";
        Window = new DuplicateWindow(window, seed);
        _parts = parts.ToDictionary(part => part.Name, part => part.Create(), StringComparer.Ordinal);
        Watermark = _recordedWatermark = NoEvents;
        _recordWriter = new BinaryWriter(_record, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>The watermark of a partition that has processed nothing.</summary>
    public const long NoEvents = long.MinValue;

    public string Hub { get; }

    public string Partition { get; }

    /// <summary>
    /// <c>hub/partition</c>, as a player's profile names the positions folded into it: one string for the partition's life, so
    /// that the players a batch touches, long-lived, do not each get a reference to a new one.
    /// </summary>
    public string Name { get; }

    public DuplicateWindow Window { get; }

    /// <summary>The duplicates of the last batches, so a redelivered batch counts them as its first delivery did.</summary>
    public RecentDuplicates Duplicates { get; } = new();

    /// <summary>The last sequence number whose effects are in this state; events at or below it are redeliveries.</summary>
    public long Watermark { get; internal set; }

    /// <summary>Where the changelog ends, as this owner last wrote or read it.</summary>
    internal ChangelogPosition Position { get; set; } = ChangelogPosition.Empty;

    /// <summary>Records appended to the current generation's changelog.</summary>
    internal int RecordsInGeneration { get; set; }

    /// <summary>A new, empty state with a random digest seed.</summary>
    public static PartitionState Create(string hub, string partition, TimeSpan window, IEnumerable<PartitionStatePartType> parts) =>
        new(hub, partition, window, BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(ulong))), parts);

    /// <summary>The capability's part of this state.</summary>
    public T Part<T>()
        where T : IPartitionStatePart =>
        _parts.Values.OfType<T>().FirstOrDefault() ?? throw new InvalidOperationException($"No partition state part {typeof(T).Name} is registered.");

    /// <summary>The batch's changes as one framed changelog record, valid until the next call; null when nothing changed.</summary>
    internal ReadOnlyMemory<byte>? TakeRecord()
    {
        var digests = Window.TakeAdded();
        var duplicates = Duplicates.TakePending();
        var changed = 0;
        foreach (var part in _parts.Values)
        {
            changed += part.HasChanges ? 1 : 0;
        }

        if (digests.Count == 0 && duplicates.Count == 0 && changed == 0 && Watermark == _recordedWatermark)
        {
            return null;
        }

        Duplicates.Remember(duplicates);

        _record.SetLength(ChangelogFraming.HeaderLength);
        _record.Position = ChangelogFraming.HeaderLength;
        var writer = _recordWriter;
        writer.Write(BatchRecord);
        writer.Write(Window.Seed);
        writer.Write(Watermark);
        WriteDigests(writer, digests);
        WriteDuplicates(writer, duplicates);
        writer.Write(changed);
        foreach (var (name, part) in _parts)
        {
            if (part.HasChanges)
            {
                WritePart(writer, name, part.WriteChanges);
            }
        }

        _recordedWatermark = Watermark;
        return ChangelogFraming.Close(_record);
    }

    /// <summary>The record that closes a generation: nothing may be appended after it (a new owner starts the next one).</summary>
    internal static byte[] Seal() => [SealRecord];

    /// <summary>Applies a record of <see cref="TakeRecord"/> or a seal; true for a seal.</summary>
    internal bool Apply(ReadOnlyMemory<byte> record)
    {
        using var reader = ReaderOver(record);
        var kind = reader.ReadByte();
        if (kind == SealRecord)
        {
            return true;
        }

        if (kind != BatchRecord)
        {
            throw new InvalidDataException($"Unknown changelog record kind {kind}.");
        }

        if (reader.ReadUInt64() != Window.Seed)
        {
            throw new InvalidDataException("A changelog record was written under another digest seed.");
        }

        Watermark = _recordedWatermark = reader.ReadInt64();
        Window.Restore(ReadDigests(reader));
        Duplicates.Remember(ReadDuplicates(reader));
        ReadParts(reader, static (part, r) => part.ApplyChanges(r));
        return false;
    }

    /// <summary>The whole state, framed for a new generation.</summary>
    internal ReadOnlyMemory<byte> Snapshot()
    {
        // Sized for the digests, the bulk of it, so the stream does not copy itself as it grows.
        var buffer = new MemoryStream(capacity: ChangelogFraming.HeaderLength + (Window.Count * 12) + (1 << 20));
        buffer.SetLength(ChangelogFraming.HeaderLength);
        buffer.Position = ChangelogFraming.HeaderLength;
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SnapshotFormat);
            writer.Write(Window.Seed);
            writer.Write(Watermark);
            Window.WriteSnapshot(writer);
            var recent = Duplicates.Remembered().ToList();
            writer.Write(recent.Count);
            foreach (var batch in recent)
            {
                WriteDuplicates(writer, batch);
            }

            writer.Write(_parts.Count);
            foreach (var (name, part) in _parts)
            {
                WritePart(writer, name, part.WriteSnapshot);
            }
        }

        return ChangelogFraming.Close(buffer);
    }

    /// <summary>The seed a snapshot was written with, to create the state it restores into.</summary>
    internal static ulong SeedOf(ReadOnlySpan<byte> snapshot) =>
        snapshot.Length >= 1 + sizeof(ulong) && snapshot[0] == SnapshotFormat
            ? BitConverter.ToUInt64(snapshot[1..])
            : throw new InvalidDataException("Not a partition state snapshot.");

    /// <summary>The seed a batch record was written with; null for a seal.</summary>
    internal static ulong? SeedOfRecord(ReadOnlySpan<byte> record) =>
        record.Length >= 1 + sizeof(ulong) && record[0] == BatchRecord ? BitConverter.ToUInt64(record[1..]) : null;

    /// <summary>Reads a snapshot into this new state.</summary>
    internal void Restore(ReadOnlyMemory<byte> snapshot)
    {
        using var reader = ReaderOver(snapshot);
        if (reader.ReadByte() != SnapshotFormat || reader.ReadUInt64() != Window.Seed)
        {
            throw new InvalidDataException("Not a snapshot of this state.");
        }

        Watermark = _recordedWatermark = reader.ReadInt64();
        Window.ReadSnapshot(reader);
        for (var batches = reader.ReadInt32(); batches > 0; batches--)
        {
            Duplicates.Remember(ReadDuplicates(reader));
        }

        ReadParts(reader, static (part, r) => part.ReadSnapshot(r));
    }

    /// <summary>A reader over the bytes, without copying them when they are an array's.</summary>
    private static BinaryReader ReaderOver(ReadOnlyMemory<byte> bytes) =>
        new(MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false), Encoding.UTF8);

    private static void WriteDigests(BinaryWriter writer, List<(ulong Digest, long Ticks)> digests)
    {
        writer.Write(digests.Count);
        foreach (var (digest, ticks) in digests)
        {
            writer.Write(digest);
            writer.Write(ticks);
        }
    }

    private static (ulong, long)[] ReadDigests(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var digests = new (ulong, long)[count];
        for (var i = 0; i < count; i++)
        {
            digests[i] = (reader.ReadUInt64(), reader.ReadInt64());
        }

        return digests;
    }

    private static void WriteDuplicates(BinaryWriter writer, List<(long Sequence, ulong Digest)> duplicates)
    {
        writer.Write(duplicates.Count);
        foreach (var (sequence, digest) in duplicates)
        {
            writer.Write(sequence);
            writer.Write(digest);
        }
    }

    private static List<(long, ulong)> ReadDuplicates(BinaryReader reader)
    {
        var duplicates = new List<(long, ulong)>(reader.ReadInt32());
        for (var i = duplicates.Capacity; i > 0; i--)
        {
            duplicates.Add((reader.ReadInt64(), reader.ReadUInt64()));
        }

        return duplicates;
    }

    /// <summary>A part's bytes, prefixed with its name and length, so a reader can skip a part it does not know.</summary>
    private static void WritePart(BinaryWriter writer, string name, Action<BinaryWriter> write)
    {
        writer.Write(name);
        var stream = writer.BaseStream;
        var lengthAt = stream.Position;
        writer.Write(0);
        write(writer);
        var end = stream.Position;
        stream.Position = lengthAt;
        writer.Write((int)(end - lengthAt - sizeof(int)));
        stream.Position = end;
    }

    private void ReadParts(BinaryReader reader, Action<IPartitionStatePart, BinaryReader> read)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var bytes = reader.ReadBytes(reader.ReadInt32());
            // A part no longer registered (a capability removed) is skipped; its state is not needed.
            if (_parts.TryGetValue(name, out var part))
            {
                using var partReader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
                read(part, partReader);
            }
        }
    }
}
