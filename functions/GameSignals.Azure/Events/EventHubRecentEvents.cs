using System.Collections.Concurrent;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using GameSignals.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Events;

/// <summary>How <see cref="EventHubRecentEvents"/> reads the hubs back (section <c>RecentEvents</c>).</summary>
public sealed class RecentEventsOptions
{
    public const string SectionName = "RecentEvents";

    /// <summary>The hubs' consumer group for these reads: its own, so it never contends with the triggers' readers.</summary>
    public string ConsumerGroup { get; set; } = "gamesignals-console";

    /// <summary>How far back events count (by enqueued time).</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The newest messages of each partition read at most: bounds the bytes one look-up reads however busy the hour was.</summary>
    public int MessagesPerPartition { get; set; } = 5_000;

    /// <summary>How long one look-up may read; what it found by then is the answer.</summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// A player's recent events read back from the hubs' retention, since nothing stores events per player in Azure
/// (a write per event would cost more than the whole pipeline: docs/design.md, 2026-12-03). Each partition of
/// <c>game-events</c> and <c>payment-events</c> is read in parallel from its newest
/// <see cref="RecentEventsOptions.MessagesPerPartition"/> messages up to the one that was last when the look-up began,
/// keeping the events of the player enqueued within <see cref="RecentEventsOptions.Lookback"/>; the whole look-up
/// stops at <see cref="RecentEventsOptions.TimeBudget"/> with what it found.
/// </summary>
/// <remarks>
/// Producers partition by <c>userid</c>, but the service's partition hash is not public, so every partition is read.
/// </remarks>
public sealed partial class EventHubRecentEvents(IReadOnlyList<EventHubConsumerClient> hubs, IOptions<RecentEventsOptions> options, TimeProvider time, ILogger<EventHubRecentEvents> logger)
    : IRecentEvents, IAsyncDisposable, IDisposable
{
    /// <summary>How long a partition read waits for a message before it counts the partition as read to its end.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    public async ValueTask<IReadOnlyList<GameEvent>> ListAsync(string gameId, string userId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var settings = options.Value;
        var since = time.GetUtcNow() - settings.Lookback;
        var found = new ConcurrentBag<GameEvent>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.TimeBudget);
        try
        {
            var reads = new List<Task>();
            foreach (var hub in hubs)
            {
                foreach (var partition in await hub.GetPartitionIdsAsync(budget.Token).ConfigureAwait(false))
                {
                    reads.Add(ReadPartitionAsync(hub, partition, new Match(since, gameId, userId), settings.MessagesPerPartition, found, budget.Token));
                }
            }

            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogBudgetSpent(gameId, userId, settings.TimeBudget, found.Count);
        }

        return Latest(found, limit);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in hubs)
        {
            await hub.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>For a container disposed synchronously: the clients only close their connections.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The first sequence number to read: the partition's newest <paramref name="messages"/>, or all it retains.</summary>
    internal static long StartSequence(PartitionProperties partition, int messages) =>
        Math.Max(partition.BeginningSequenceNumber, partition.LastEnqueuedSequenceNumber - messages + 1);

    /// <summary>The player's events in <paramref name="data"/> (a CloudEvent or an array of them); poison is skipped.</summary>
    internal static IEnumerable<GameEvent> Collect(EventData data, string hub, string partition, Match match)
    {
        if (data.EnqueuedTime < match.Since)
        {
            return [];
        }

        var decoded = new List<GameEvent>();
        var origin = new MessageOrigin(hub, partition, data.SequenceNumber, data.OffsetString, data.EnqueuedTime);
        EventDecoder.Decode(data.EventBody.ToMemory(), origin, decoded, new List<DeadLetter>());
        return decoded.Where(e => e.GameId == match.GameId && e.UserId == match.UserId);
    }

    /// <summary>The last <paramref name="limit"/> events by event time (then position), oldest first, as the dry run takes them.</summary>
    internal static IReadOnlyList<GameEvent> Latest(IEnumerable<GameEvent> events, int limit) =>
        [.. events.OrderBy(e => e.Time).ThenBy(e => e.Origin.Hub, StringComparer.Ordinal).ThenBy(e => e.Origin.SequenceNumber).TakeLast(limit)];

    private static async Task ReadPartitionAsync(EventHubConsumerClient hub, string partition, Match match, int messages, ConcurrentBag<GameEvent> found, CancellationToken cancellationToken)
    {
        var properties = await hub.GetPartitionPropertiesAsync(partition, cancellationToken).ConfigureAwait(false);
        if (properties.IsEmpty)
        {
            return;
        }

        var start = EventPosition.FromSequenceNumber(StartSequence(properties, messages), isInclusive: true);
        var read = new ReadEventOptions { MaximumWaitTime = IdleWait, CacheEventCount = 500, PrefetchCount = 1_000 };
        await foreach (var item in hub.ReadEventsFromPartitionAsync(partition, start, read, cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is not { } data)
            {
                return;
            }

            foreach (var e in Collect(data, hub.EventHubName, partition, match))
            {
                found.Add(e);
            }

            if (data.SequenceNumber >= properties.LastEnqueuedSequenceNumber)
            {
                return;
            }
        }
    }

    /// <summary>Whose events a look-up keeps, and since when.</summary>
    internal readonly record struct Match(DateTimeOffset Since, string GameId, string UserId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Recent events of {GameId}/{UserId}: the time budget of {Budget} ran out; answering the {Found} events found by then")]
    private partial void LogBudgetSpent(string gameId, string userId, TimeSpan budget, int found);
}
