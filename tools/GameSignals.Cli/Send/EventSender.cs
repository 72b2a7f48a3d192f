using System.Threading.RateLimiting;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using GameSignals.Cli.Replay;
using GameSignals.Events;

namespace GameSignals.Cli.Send;

/// <summary>What <c>send</c> did.</summary>
internal sealed record SendResult(long Sent, long Failed, long Batches);

/// <summary>
/// Publishes a JSON Lines file to Event Hubs as the game servers would: each line one message with
/// <c>userid</c> as partition key, to the hub its type belongs to (or one fixed hub). Lines are read
/// in windows; within a window each (hub, user) group goes out in size-limited batches, in order, so a
/// user's events keep their order. A line that does not decode is still sent (without partition key,
/// to <c>game-events</c>): the receiving side is what dead-letters it.
/// </summary>
internal sealed class EventSender(Func<string, EventHubProducerClient> producerFor, RateLimiter? rateLimiter, int windowLines = 1000, int parallelGroups = 8)
{
    private readonly Dictionary<string, EventHubProducerClient> _producers = new(StringComparer.Ordinal);
    private long _sent;
    private long _failed;
    private long _batches;

    public async Task<SendResult> SendAsync(string eventsPath, string? fixedHub, Action<long> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            using var reader = new JsonLinesReader(eventsPath);
            var window = new List<Outgoing>(windowLines);
            while (reader.ReadLine() is { } line)
            {
                if (rateLimiter is not null)
                {
                    using var lease = await rateLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                }

                window.Add(Describe(line, fixedHub));
                if (window.Count == windowLines)
                {
                    await SendWindowAsync(window, cancellationToken).ConfigureAwait(false);
                    report(reader.LineNumber);
                }
            }

            await SendWindowAsync(window, cancellationToken).ConfigureAwait(false);
            report(reader.LineNumber);
        }
        finally
        {
            foreach (var producer in _producers.Values)
            {
                await producer.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new SendResult(_sent, _failed, _batches);
    }

    private static Outgoing Describe(byte[] line, string? fixedHub)
    {
        var events = new List<GameEvent>(1);
        var dead = new List<DeadLetter>(0);
        EventDecoder.Decode(line, new MessageOrigin("send", "", 0, "", null), events, dead);
        var first = events.Count > 0 && dead.Count == 0 ? events[0] : null;
        var hub = fixedHub ?? (first?.IsPayment == true ? ReplayRunner.PaymentHub : ReplayRunner.GameHub);
        return new Outgoing(hub, first?.UserId, line);
    }

    private async Task SendWindowAsync(List<Outgoing> window, CancellationToken cancellationToken)
    {
        var groups = window.GroupBy(o => (o.Hub, o.PartitionKey)).Select(g => (g.Key.Hub, g.Key.PartitionKey, Lines: g.ToList())).ToList();
        window.Clear();
        foreach (var hub in groups.Select(g => g.Hub).Distinct())
        {
            if (!_producers.ContainsKey(hub))
            {
                _producers[hub] = producerFor(hub);
            }
        }

        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = parallelGroups, CancellationToken = cancellationToken },
            async (group, ct) => await SendGroupAsync(_producers[group.Hub], group.PartitionKey, group.Lines, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task SendGroupAsync(EventHubProducerClient producer, string? partitionKey, List<Outgoing> lines, CancellationToken cancellationToken)
    {
        var options = new CreateBatchOptions { PartitionKey = partitionKey };
        var next = 0;
        while (next < lines.Count)
        {
            using var batch = await producer.CreateBatchAsync(options, cancellationToken).ConfigureAwait(false);
            while (next < lines.Count && batch.TryAdd(new EventData(lines[next].Body) { ContentType = "application/cloudevents+json" }))
            {
                next++;
            }

            if (batch.Count == 0)
            {
                // Too large for any batch: it can never be sent.
                Interlocked.Increment(ref _failed);
                next++;
                continue;
            }

            try
            {
                await producer.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _sent, batch.Count);
                Interlocked.Increment(ref _batches);
            }
            catch (EventHubsException)
            {
                // The SDK has already retried transient failures; these events are lost for this run.
                Interlocked.Add(ref _failed, batch.Count);
            }
        }
    }

    private readonly record struct Outgoing(string Hub, string? PartitionKey, byte[] Body);
}
