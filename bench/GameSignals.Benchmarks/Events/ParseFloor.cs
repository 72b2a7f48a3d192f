using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GameSignals.Benchmarks.Events;

/// <summary>
/// The floor replay is measured against (issue 15): one <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/>
/// per line of an event file, the file read in large blocks on one thread. Prints the elapsed seconds and lines per second.
/// </summary>
internal static class ParseFloor
{
    public static int Run(string path)
    {
        var stopwatch = Stopwatch.StartNew();
        var lines = 0L;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[1 << 20];
        var filled = 0;
        while (true)
        {
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            var end = filled + read;
            var start = 0;
            int length;
            while ((length = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
            {
                lines += Parse(buffer.AsMemory(start, length));
                start += length + 1;
            }

            if (read == 0)
            {
                lines += Parse(buffer.AsMemory(start, end - start));
                break;
            }

            buffer.AsSpan(start, end - start).CopyTo(buffer);
            filled = end - start;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s, {lines / seconds:F0} lines/s, {lines} lines"));
        return 0;
    }

    /// <summary>1 for a line parsed (a poison line's failed parse counts too: replay reads it as well), 0 for a blank one.</summary>
    private static int Parse(ReadOnlyMemory<byte> line)
    {
        if (line.Span.Trim(" \t\r"u8).IsEmpty)
        {
            return 0;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            // Poison: parsed as far as it goes, as replay's decoder does.
        }

        return 1;
    }
}
