namespace GameSignals.Cli.Replay;

/// <summary>
/// The held-back partition's lines, kept in a temporary file (deleted on close) rather than in
/// memory, so a lagging partition of a long stream does not bound what replay can process.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly FileStream _stream = new(
        Path.Combine(Path.GetTempPath(), $"gamesignals-spill-{Guid.NewGuid():N}.bin"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    private readonly BinaryWriter _writer;

    public SpillFile() => _writer = new BinaryWriter(_stream);

    public long Count { get; private set; }

    public void Write(in SourceLine line)
    {
        _writer.Write(line.FileIndex);
        _writer.Write(line.Sequence);
        _writer.Write(line.ReadTimestamp);
        _writer.Write(line.Bytes.Length);
        _writer.Write(line.Bytes.Span);
        Count++;
    }

    /// <summary>Reads back every line written, in the order written.</summary>
    public IEnumerable<SourceLine> ReadAll()
    {
        _writer.Flush();
        _stream.Position = 0;
        using var reader = new BinaryReader(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
        for (var i = 0L; i < Count; i++)
        {
            var fileIndex = reader.ReadInt32();
            var sequence = reader.ReadInt64();
            var timestamp = reader.ReadInt64();
            var bytes = reader.ReadBytes(reader.ReadInt32());
            yield return new SourceLine(fileIndex, sequence, timestamp, bytes);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}

/// <summary>One line of an events file: its file, its place in the stream (every file's lines counted in turn), when it was read, its bytes.</summary>
internal readonly record struct SourceLine(int FileIndex, long Sequence, long ReadTimestamp, ReadOnlyMemory<byte> Bytes);
