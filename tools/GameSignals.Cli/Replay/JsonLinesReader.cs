using System.IO.Compression;

namespace GameSignals.Cli.Replay;

/// <summary>
/// Reads a JSON Lines file line by line with bounded memory, plain or gzip (by the <c>.gz</c>
/// extension or the gzip magic bytes). Written by hand because <see cref="StreamReader"/> decodes to
/// strings, while the decoder wants each line's UTF-8 bytes; each line is copied into its own array
/// because events and dead letters keep them.
/// </summary>
internal sealed class JsonLinesReader : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _content;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    public JsonLinesReader(string path)
    {
        try
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> magic = stackalloc byte[2];
            var isGzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                || (_file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
            _file.Position = 0;
            _content = isGzip ? new GZipStream(_file, CompressionMode.Decompress) : _file;
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

    /// <summary>Returns the next line without its line break, or null at the end of the file.</summary>
    public byte[]? ReadLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return Take(newline, 1);
            }

            if (_eof)
            {
                return _end > _start ? Take(_end - _start, 0) : null;
            }

            Fill();
        }
    }

    private byte[] Take(int length, int separator)
    {
        var line = _buffer.AsSpan(_start, length);
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        _start += length + separator;
        LineNumber++;
        return line.ToArray();
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
