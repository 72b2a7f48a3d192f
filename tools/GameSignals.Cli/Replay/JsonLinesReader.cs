using System.IO.Compression;

namespace GameSignals.Cli.Replay;

/// <summary>
/// Reads a JSON Lines file line by line with bounded memory, plain or gzip (by the <c>.gz</c>
/// extension or the gzip magic bytes). Written by hand because <see cref="StreamReader"/> decodes to
/// strings, while the decoder wants each line's UTF-8 bytes. A line is handed out either in its own array
/// (<see cref="ReadLine"/>) or borrowed from the reader's buffer (<see cref="TryReadBorrowed"/>), for a caller that
/// copies what it keeps.
/// </summary>
internal sealed class JsonLinesReader : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _content;
    // Reads of a megabyte straight into this buffer: through the file's own 64 KB buffer, each byte was copied twice, and
    // a read of 64 KB at a time made a system call per 200 lines.
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;

    public JsonLinesReader(string path)
    {
        try
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            Span<byte> magic = stackalloc byte[2];
            var isGzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                || (_file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
            _file.Position = 0;
            // The decompressor reads a few kilobytes at a time: those go through a buffer.
            _content = isGzip ? new GZipStream(new BufferedStream(_file, 1 << 16), CompressionMode.Decompress) : _file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _file?.Dispose();
            throw CliUsageException.Unreadable(path, ex);
        }

        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes of the file consumed so far (compressed bytes for gzip), for progress.</summary>
    public long Position => _file.Position;

    public long Length => _file.Length;

    /// <summary>The 1-based number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Returns the next line without its line break, in an array of its own, or null at the end of the file.</summary>
    public byte[]? ReadLine() => TryReadBorrowed(out var line) ? line.ToArray() : null;

    /// <summary>
    /// The next line without its line break, in the reader's buffer: valid only until the next read. False at the end of the file.
    /// </summary>
    public bool TryReadBorrowed(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, 1);
                return true;
            }

            if (_eof)
            {
                var last = _end > _start;
                line = last ? Take(_end - _start, 0) : default;
                return last;
            }

            Fill();
        }
    }

    private ReadOnlyMemory<byte> Take(int length, int separator)
    {
        var line = new ReadOnlyMemory<byte>(_buffer, _start, length);
        if (line.Length > 0 && line.Span[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        _start += length + separator;
        LineNumber++;
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
        }

        int read;
        try
        {
            read = _content.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw CliUsageException.Unreadable($"{Path} near line {LineNumber + 1}", ex);
        }

        _end += read;
        _eof = read == 0;
    }

    public void Dispose() => _content.Dispose();
}
