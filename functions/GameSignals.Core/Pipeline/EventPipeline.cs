using GameSignals.Events;
using Microsoft.Extensions.Logging;

namespace GameSignals.Pipeline;

/// <summary>
/// Processes one partition's batch: decode, dead-letter poison, drop duplicates, run the stages in
/// order, then record the events as processed. The functions and <c>replay</c> both drive this class.
/// </summary>
/// <remarks>
/// Poison never throws. Transient store failures are retried by <see cref="StoreRetry"/>; a failure that
/// outlasts it throws, so the host redelivers the batch. Because the ledger is
/// written last, a batch that fails after some stage effects is processed again in full on
/// redelivery, and the stages' idempotent writes make the second pass change nothing.
/// </remarks>
public sealed partial class EventPipeline(
    IEnumerable<IEventStage> stages,
    IEventLedger ledger,
    IDeadLetterStore deadLetters,
    StoreRetry retry,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<EventPipeline> logger)
{
    private readonly IEventStage[] _stages = [.. stages];

    public IReadOnlyList<IEventStage> Stages => _stages;

    /// <summary>Decodes and processes the messages of one partition's batch.</summary>
    public async ValueTask<BatchResult> ProcessMessagesAsync(string hub, string partition, IReadOnlyList<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var events = new List<GameEvent>(messages.Count);
        var poison = new List<DeadLetter>();
        foreach (var message in messages)
        {
            EventDecoder.Decode(message.Body, message.Origin, events, poison);
        }

        return await ProcessDecodedAsync(hub, partition, events, poison, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Processes events already decoded (replay decodes first to route them to partitions).</summary>
    public async ValueTask<BatchResult> ProcessDecodedAsync(
        string hub, string partition, IReadOnlyList<GameEvent> events, IReadOnlyList<DeadLetter> poison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(poison);
        var started = time.GetTimestamp();

        if (poison.Count > 0)
        {
            await retry.ExecuteAsync(static (s, ct) => s.deadLetters.WriteAsync(s.poison, ct), (deadLetters, poison), cancellationToken).ConfigureAwait(false);
            foreach (var letter in poison)
            {
                metrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("reason", letter.Reason), new("hub", hub));
                LogDeadLetter(letter.Reason, letter.Detail, letter.EventId, letter.Origin.ToString());
            }
        }

        // Within the batch, the first occurrence of a key wins.
        var unique = new List<GameEvent>(events.Count);
        var seen = new HashSet<EventKey>();
        var duplicates = 0;
        foreach (var e in events)
        {
            if (seen.Add(e.Key))
            {
                unique.Add(e);
            }
            else
            {
                duplicates++;
            }
        }

        var known = unique.Count == 0
            ? new Dictionary<EventKey, LedgerEntry>()
            : await retry.ExecuteAsync(static (s, ct) => s.ledger.FindAsync(s.seen, ct), (ledger, seen), cancellationToken).ConfigureAwait(false);
        var fresh = new List<GameEvent>(unique.Count);
        var redelivered = 0;
        foreach (var e in unique)
        {
            if (!known.TryGetValue(e.Key, out var entry))
            {
                fresh.Add(e);
            }
            else if (entry.IsSamePosition(e.Origin))
            {
                redelivered++;
            }
            else
            {
                duplicates++;
            }
        }

        if (fresh.Count > 0)
        {
            var batch = new EventBatch(hub, partition, fresh);
            foreach (var stage in _stages)
            {
                await stage.ProcessAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            var entries = fresh.ConvertAll(LedgerEntry.For);
            await retry.ExecuteAsync(static (s, ct) => s.ledger.RecordAsync(s.entries, ct), (ledger, entries), cancellationToken).ConfigureAwait(false);
        }

        Record(hub, events.Count, fresh, poison.Count, duplicates, redelivered, started);
        return new BatchResult(events.Count, fresh.Count, poison.Count, duplicates, redelivered);
    }

    private void Record(string hub, int received, List<GameEvent> processed, int deadLettered, int duplicates, int redelivered, long started)
    {
        var hubTag = new KeyValuePair<string, object?>("hub", hub);
        metrics.Events.Add(received, hubTag);
        if (duplicates > 0)
        {
            metrics.Duplicates.Add(duplicates, hubTag);
        }

        if (redelivered > 0)
        {
            metrics.Redelivered.Add(redelivered, hubTag);
        }

        var now = time.GetUtcNow();
        foreach (var e in processed)
        {
            metrics.EventAge.Record((now - e.Time).TotalSeconds, hubTag);
            if (e.Origin.EnqueuedTime is { } enqueued)
            {
                metrics.QueueLatency.Record((now - enqueued).TotalSeconds, hubTag);
            }
        }

        var elapsed = time.GetElapsedTime(started);
        metrics.BatchDuration.Record(elapsed.TotalSeconds, hubTag);
        LogBatch(hub, received, processed.Count, deadLettered, duplicates, redelivered, elapsed.TotalMilliseconds);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Dead-lettered an event: {Reason}: {Detail} (event {EventId}, at {Position})")]
    private partial void LogDeadLetter(string reason, string detail, string? eventId, string position);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Batch from {Hub}: {Events} events, {Processed} processed, {DeadLettered} dead-lettered, {Duplicates} duplicates, {Redelivered} redelivered in {ElapsedMs:F1} ms")]
    private partial void LogBatch(string hub, int events, int processed, int deadLettered, int duplicates, int redelivered, double elapsedMs);
}
