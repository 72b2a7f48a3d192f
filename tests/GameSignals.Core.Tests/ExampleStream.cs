using GameSignals.Pipeline.State;
using System.Text;
using System.Text.Json;
using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Tests;

/// <summary>
/// The contract's example stream (<c>tests/data/examples</c>) and its expected results, and a
/// driver that pushes it through an <see cref="EventPipeline"/> the way the host would: spread over
/// partitions by <c>userid</c>, in batches, partitions taking turns.
/// </summary>
internal static class ExampleStream
{
    public static string EventsPath => Path.Combine(RepositoryFiles.Examples, "events.jsonl");

    public static JsonDocument Expected { get; } = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Examples, "expected.json")));

    /// <summary>Decodes every line of the example stream; line numbers become sequence numbers.</summary>
    public static (List<GameEvent> Events, List<DeadLetter> DeadLetters) Decode(int partitions = 4)
    {
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(EventsPath, Encoding.UTF8))
        {
            lineNumber++;
            var origin = new MessageOrigin("replay", "?", lineNumber, $"events.jsonl:{lineNumber}", null);
            var decoded = new List<GameEvent>(1);
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), origin, decoded, dead);
            foreach (var e in decoded)
            {
                var partition = Partitioning.PartitionFor(e.UserId, partitions).ToString(System.Globalization.CultureInfo.InvariantCulture);
                events.Add(e.WithOrigin(origin with { Hub = e.IsPayment ? "payment-events" : "game-events", Partition = partition }));
            }
        }

        return (events, dead);
    }

    /// <summary>
    /// Runs the stream through a pipeline made of <paramref name="stages"/>: per partition, batches of
    /// <paramref name="batchSize"/>, partitions interleaved batch by batch, or with
    /// <paramref name="heldBackPartition"/> processed only after all others.
    /// </summary>
    public static async Task<EventPipeline> RunAsync(
        IEnumerable<IEventStage> stages, PartitionStates? states = null, int partitions = 4, int batchSize = 64, int? heldBackPartition = null)
    {
        var pipeline = new EventPipeline(
            stages, states ?? TestStates.Over(), new InMemoryDeadLetterStore(), new StoreRetry(),
            new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);
        var (events, _) = Decode(partitions);
        var queues = events
            .GroupBy(e => (e.Origin.Hub, e.Origin.Partition))
            .OrderBy(g => g.Key.Partition == heldBackPartition?.ToString(System.Globalization.CultureInfo.InvariantCulture) ? 1 : 0)
            .ThenBy(g => g.Key.Partition, StringComparer.Ordinal).ThenBy(g => g.Key.Hub, StringComparer.Ordinal)
            .Select(g => (g.Key, Batches: g.Chunk(batchSize).ToList()))
            .ToList();

        var held = heldBackPartition?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var round in new[] { false, true })
        {
            var active = queues.Where(q => (q.Key.Partition == held) == round).ToList();
            for (var i = 0; active.Any(q => i < q.Batches.Count); i++)
            {
                foreach (var (key, batches) in active.Where(q => i < q.Batches.Count))
                {
                    await pipeline.ProcessDecodedAsync(key.Hub, key.Partition, batches[i], [], CancellationToken.None);
                }
            }
        }

        // The end of the stream: what the stages hold in the partitions' states is written out.
        await pipeline.FlushAsync([.. queues.Select(q => (q.Key.Hub, q.Key.Partition))], CancellationToken.None);
        return pipeline;
    }
}
