namespace GameSignals.Pipeline;

/// <summary>
/// A file the offline <c>replay</c> command writes into its <c>--out</c> directory (contract §6):
/// a capability's in-memory store registers one (e.g. <c>notifications.jsonl</c>, <c>flags.jsonl</c>)
/// as a singleton <see cref="IReplayOutput"/>, and replay writes every registered output after the
/// stream has been processed.
/// </summary>
public interface IReplayOutput
{
    /// <summary>The file name inside the output directory, e.g. <c>flags.jsonl</c>.</summary>
    string FileName { get; }

    /// <summary>
    /// Writes the output as JSON Lines (one UTF-8 JSON object per line), in a stable order so two
    /// replays of the same stream give the same bytes. Returns the number of lines written.
    /// </summary>
    ValueTask<long> WriteAsync(Stream destination, CancellationToken cancellationToken);
}
