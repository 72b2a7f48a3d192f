using System.IO.Compression;
using System.Text;
using GameSignals.Cli.Replay;

namespace GameSignals.Cli.Tests;

/// <summary>Event files read line by line: a plain file through its mapping, a view at a time; a gzip file through a buffer.</summary>
public sealed class JsonLinesReaderTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();

    // Lines of every length around the views' 16 bytes, CRLF and LF breaks, an empty line, and a last line without a break.
    private const string Content = "{\"a\":1}\n{\"bb\":22}\r\n\n{\"ccc\":333,\"d\":4}\n{}\r\n{\"e\":\"x\"}\n{\"last\":true}";

    private static readonly string[] Lines = ["{\"a\":1}", "{\"bb\":22}", "", "{\"ccc\":333,\"d\":4}", "{}", "{\"e\":\"x\"}", "{\"last\":true}"];

    [Theory]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(64)]
    [InlineData(1L << 30)]
    public void A_plain_file_gives_every_line_whole_across_its_views(long windowBytes)
    {
        var path = Write("events.jsonl", Encoding.UTF8.GetBytes(Content));

        using var reader = new JsonLinesReader(path, windowBytes);

        Assert.Equal(Lines, ReadAll(reader));
        Assert.Equal(Lines.Length, reader.LineNumber);
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void A_gzip_file_gives_the_same_lines()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionMode.Compress, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Content));
        }

        using var reader = new JsonLinesReader(Write("events.jsonl.gz", compressed.ToArray()));

        Assert.Equal(Lines, ReadAll(reader));
    }

    [Fact]
    public void An_empty_file_has_no_lines()
    {
        using var reader = new JsonLinesReader(Write("empty.jsonl", []));

        Assert.False(reader.TryReadBorrowed(out _));
    }

    [Fact]
    public void A_line_longer_than_a_view_is_refused_with_its_line_number()
    {
        var path = Write("long.jsonl", Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a long line\":\"longer than the view\"}\n"));
        using var reader = new JsonLinesReader(path, windowBytes: 16);

        Assert.True(reader.TryReadBorrowed(out _));
        var error = Assert.Throws<CliUsageException>(() => reader.TryReadBorrowed(out _));
        Assert.Contains("near line 2", error.Message, StringComparison.Ordinal);
    }

    private static List<string> ReadAll(JsonLinesReader reader)
    {
        var lines = new List<string>();
        while (reader.TryReadBorrowed(out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
