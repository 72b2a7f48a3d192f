using System.Buffers;
using System.Text.Json;
using GameSignals.Pipeline;

namespace GameSignals.Cli.Replay.Outputs;

/// <summary>An <see cref="IReplayOutput"/> written one JSON object per line from a capability's in-memory store.</summary>
internal abstract class JsonLinesOutput<T>(string fileName) : IReplayOutput
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public string FileName => fileName;

    /// <summary>The rows in a stable order, so the same stream always gives the same bytes.</summary>
    protected abstract IEnumerable<T> Rows();

    protected abstract void WriteRow(Utf8JsonWriter writer, T row);

    /// <summary>Work that must happen once the stream is processed and before the rows are read (batch steps).</summary>
    protected virtual ValueTask PrepareAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<long> WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>();
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        long lines = 0;
        foreach (var row in Rows())
        {
            writer.Reset();
            WriteRow(writer, row);
            writer.Flush();
            buffer.Write(NewLine);
            lines++;
            if (buffer.WrittenCount > 64 * 1024)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return lines;
    }
}
