using System.Collections.Concurrent;
using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using GameSignals.Events;

namespace GameSignals.Cli.Tests;

/// <summary><c>send</c> through the Event Hubs SDK's test seams: a producer subclass and model-factory batches, no broker.</summary>
public sealed class SendTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();
    private readonly ConcurrentDictionary<string, RecordingProducer> _producers = new(StringComparer.Ordinal);

    private string WriteEvents(int lines, params string[] extra)
    {
        var path = Path.Combine(_root, "events.jsonl");
        File.WriteAllLines(path, File.ReadLines(ExampleReplayFixture.EventsPath).Take(lines).Concat(extra));
        return path;
    }

    private Task<(int ExitCode, string Out, string Error)> SendAsync(string events, int maxBatchBytes = 4096, string? failingHub = null) =>
        CliRun.RunAsync(
            ["send", "--events", events, "--connection-string", "Endpoint=sb://localhost;SharedAccessKeyName=k;SharedAccessKey=s;UseDevelopmentEmulator=true"],
            hub => _producers.GetOrAdd(hub, name => new RecordingProducer(name, maxBatchBytes, fail: name == failingHub)));

    [Fact]
    public async Task Every_line_goes_to_its_hub_keyed_by_user_in_order_and_in_size_limited_batches()
    {
        var path = WriteEvents(1500, "{ not json");

        var (code, output, error) = await SendAsync(path);

        Assert.True(code == 0, error);
        Assert.Contains("sent 1,501 events", output, StringComparison.Ordinal);
        var sent = _producers.Values.SelectMany(p => p.Batches.SelectMany(b => b.Events.Select(e => (p.Hub, b.PartitionKey, Body: e.EventBody.ToString())))).ToList();
        Assert.Equal(1501, sent.Count);
        Assert.All(_producers.Values.SelectMany(p => p.Batches), b => Assert.True(b.Events.Sum(e => e.EventBody.ToMemory().Length) <= 4096));
        Assert.Contains(_producers.Values.SelectMany(p => p.Batches), b => b.Events.Count > 1);
        Assert.Contains(sent, s => s.Body == "{ not json" && s.PartitionKey is null && s.Hub == "game-events");

        var decoded = File.ReadLines(path).Take(1500).Select(line =>
        {
            var events = new List<GameEvent>();
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), new MessageOrigin("t", "0", 0, "", null), events, new List<DeadLetter>());
            return (Line: line, Event: events.Single());
        }).ToList();
        Assert.Contains(decoded, d => d.Event.IsPayment);
        foreach (var (line, e) in decoded)
        {
            Assert.Contains((e.IsPayment ? "payment-events" : "game-events", e.UserId, line), sent);
        }

        // Per user, the order of the file is the order of sending.
        var user = decoded.GroupBy(d => d.Event.UserId).OrderByDescending(g => g.Count()).First();
        Assert.Equal(
            user.Where(d => !d.Event.IsPayment).Select(d => d.Line),
            sent.Where(s => s.PartitionKey == user.Key && s.Hub == "game-events").Select(s => s.Body));
    }

    [Fact]
    public async Task Failed_sends_are_counted_and_make_the_exit_code_non_zero()
    {
        var path = WriteEvents(1500);

        var (code, output, _) = await SendAsync(path, failingHub: "payment-events");

        Assert.Equal(1, code);
        var failed = _producers["payment-events"].Attempted;
        Assert.True(failed > 0);
        Assert.Contains($"sent {1500 - failed:N0} events", output, StringComparison.Ordinal);
        Assert.Contains($"{failed:N0} failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_needs_exactly_one_way_to_reach_event_hubs()
    {
        var (code, _, error) = await CliRun.RunAsync(["send", "--events", WriteEvents(1)]);

        Assert.Equal(2, code);
        Assert.Contains("--connection-string", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A producer that records its batches; batches come from <see cref="EventHubsModelFactory"/> with a byte limit.</summary>
    private sealed class RecordingProducer(string hub, int maxBatchBytes, bool fail) : EventHubProducerClient
    {
        private readonly ConcurrentDictionary<EventDataBatch, (string? Key, List<EventData> Store)> _open = new();
        private long _attempted;

        public string Hub => hub;

        public ConcurrentQueue<(string? PartitionKey, List<EventData> Events)> Batches { get; } = new();

        public long Attempted => Interlocked.Read(ref _attempted);

        public override ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken = default)
        {
            var store = new List<EventData>();
            var batch = EventHubsModelFactory.EventDataBatch(maxBatchBytes, store, options,
                e => store.Sum(s => s.EventBody.ToMemory().Length) + e.EventBody.ToMemory().Length <= maxBatchBytes);
            _open[batch] = (options?.PartitionKey, store);
            return ValueTask.FromResult(batch);
        }

        public override Task SendAsync(EventDataBatch eventBatch, CancellationToken cancellationToken = default)
        {
            _open.TryRemove(eventBatch, out var batch);
            if (fail)
            {
                Interlocked.Add(ref _attempted, batch.Store.Count);
                throw new EventHubsException(true, hub, "the service is busy", EventHubsException.FailureReason.ServiceBusy);
            }

            Batches.Enqueue((batch.Key, batch.Store));
            return Task.CompletedTask;
        }

        public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
