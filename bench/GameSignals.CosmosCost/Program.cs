using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GameSignals.Azure.Cosmos;
using GameSignals.CosmosCost;
using GameSignals.Events;
using GameSignals.Fraud;
using GameSignals.Functions;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// Usage: GameSignals.CosmosCost <generated dir> <batch size> <partitions per hub> <cosmos endpoint> <storage connection string>
// Runs a generated stream (events.jsonl and its config, from `gamesignals generate`) through the function app's own
// composition (AddGameSignalsFunctionApp) over the local Cosmos stand-in and Azurite, in batches of each hub's
// partitions as Event Hubs would deliver them, and prints the document requests per container.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: GameSignals.CosmosCost <generated dir> <batch size> <partitions per hub> <cosmos endpoint> <storage connection string>");
    return 2;
}

var (directory, batchSize, partitions) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
var settings = new Dictionary<string, string?>
{
    ["Storage"] = args[4],
    ["Cosmos:AccountEndpoint"] = args[3],
    ["Cosmos:Key"] = EmulatorKey,
    ["Cosmos:IsLocalEmulator"] = "true",
    ["Cosmos:Database"] = "cost-" + Guid.NewGuid().ToString("N")[..12],
    ["Cosmos:CreateResources"] = "true",
};

var counter = new CosmosRequestCounter();
var storageCounter = new StorageRequestCounter();
var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
services.Replace(ServiceDescriptor.Singleton(sp => CosmosSetup.CreateClient(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, new DefaultAzureCredential(), [counter])));

// The same Blob and Queue clients as the app's, counting their requests: partition state, dead letters, push requests.
var blobOptions = new BlobClientOptions();
blobOptions.AddPolicy(storageCounter, HttpPipelinePosition.PerRetry);
var queueOptions = new QueueClientOptions();
queueOptions.AddPolicy(storageCounter, HttpPipelinePosition.PerRetry);
services.Replace(ServiceDescriptor.Singleton(new BlobServiceClient(args[4], blobOptions)));
services.Replace(ServiceDescriptor.Singleton(new QueueServiceClient(args[4], queueOptions)));

// Event Hubs has no local stand-in; fraud actions are outputs to another hub, not Cosmos requests.
services.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(new InMemoryFraudActionPublisher()));
await using var provider = services.BuildServiceProvider();
var none = CancellationToken.None;
var cosmos = provider.GetRequiredService<IOptions<CosmosOptions>>().Value;
await CosmosSetup.EnsureResourcesAsync(provider.GetRequiredService<CosmosClient>(), cosmos.Database, provider.GetServices<CosmosContainerSpec>(), none);

// The stream's configuration, loaded as an operator would.
var rules = RulesFile.Load(Path.Combine(directory, "rules.json"));
if (!rules.IsValid)
{
    Console.Error.WriteLine($"{directory}/rules.json: {rules.Problems[0]}");
    return 2;
}

foreach (var rule in rules.Rules)
{
    await provider.GetRequiredService<IRuleStore>().UpsertAsync(rule, null, none);
}

foreach (var (gameId, config) in FraudConfigLoader.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "fraud.json"))).Games)
{
    await provider.GetRequiredService<IFraudConfigStore>().SaveAsync(gameId, config, null, none);
}

provider.GetRequiredService<CurrentRangeTable>().Use(RangeTableLoader.FromDirectory(directory).Table);

// The stream as the triggers see it: routed by user to a partition of its hub, one batch once a partition has a full one.
var pipeline = provider.GetRequiredService<EventPipeline>();
var buffers = new Dictionary<(string Hub, int Partition), List<GameEvent>>();
var sequence = new Dictionary<(string Hub, int Partition), long>();
var poison = new List<DeadLetter>();
var decoded = new List<GameEvent>();
long lines = 0, events = 0, processed = 0, duplicates = 0;
counter.Enabled = storageCounter.Enabled = true;
var clock = System.Diagnostics.Stopwatch.StartNew();
var batches = 0;
async Task FlushAsync((string Hub, int Partition) at, List<GameEvent> buffer)
{
    if (++batches % 20 == 0)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batches} batches, {counter.Total:N0} requests, {clock.Elapsed.TotalSeconds:F0} s"));
    }

    var result = await pipeline.ProcessDecodedAsync(at.Hub, at.Partition.ToString(CultureInfo.InvariantCulture), [.. buffer], [.. poison], none);
    (processed, duplicates) = (processed + result.Processed, duplicates + result.Duplicates);
    buffer.Clear();
    poison.Clear();
}

foreach (var line in File.ReadLines(Path.Combine(directory, "events.jsonl")))
{
    lines++;

    decoded.Clear();
    var origin = new MessageOrigin("game-events", "0", lines, string.Create(CultureInfo.InvariantCulture, $"events.jsonl:{lines}"), null);
    EventDecoder.Decode(Encoding.UTF8.GetBytes(line), origin, decoded, poison);
    foreach (var e in decoded)
    {
        events++;
        var at = (e.IsPayment ? "payment-events" : "game-events", Partitioning.PartitionFor(e.UserId, partitions));
        var next = sequence[at] = sequence.GetValueOrDefault(at) + 1;
        var buffer = buffers.TryGetValue(at, out var found) ? found : buffers[at] = new List<GameEvent>(batchSize);
        buffer.Add(e.WithOrigin(origin with { Hub = at.Item1, Partition = at.Item2.ToString(CultureInfo.InvariantCulture), SequenceNumber = next }));
        if (buffer.Count == batchSize)
        {
            await FlushAsync(at, buffer);
        }
    }
}

foreach (var (at, buffer) in buffers.Where(b => b.Value.Count > 0))
{
    await FlushAsync(at, buffer);
}

// The end of the stream, as an instance stopping: profiles still waiting for their hour are written out.
await pipeline.FlushAsync(pipeline.LoadedPartitions, none);

counter.Enabled = storageCounter.Enabled = false;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lines {lines:N0}, events {events:N0} ({processed:N0} processed, {duplicates:N0} duplicates), batch size {batchSize}, partitions per hub {partitions}"));
Console.WriteLine($"{"container",-24} {"reads",10} {"writes",10}");
foreach (var (container, reads, writes) in counter.ByContainer)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{container,-24} {reads,10:N0} {writes,10:N0}"));
}

Console.WriteLine($"{"storage container/queue",-24} {"requests",10}");
foreach (var (container, requests) in storageCounter.ByContainer)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{container,-24} {requests,10:N0}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storage requests per event: {(double)storageCounter.Total / lines:F4}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests per event: {(double)counter.Total / lines:F3}"));
return 0;
