using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Notifications;
using GameSignals.Azure.Pipeline;
using GameSignals.Azure.Profiles;
using GameSignals.Azure.Startup;
using GameSignals.Events;
using GameSignals.Fraud;
using GameSignals.Functions;
using GameSignals.Functions.Tests;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using GameSignals.Profiles;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>
/// Issue 9: exactly-once effect of the Azure adapters under the faults Azure gives. A slice of the contract's
/// example goes through the function app's own composition twice: over the in-memory stores (the reference),
/// and over Cosmos and Storage with faults injected into the SDK clients, every few batches an outage that
/// kills the batch midway (the host then redelivers it), and finally the whole slice delivered again.
/// The stored effects must be the reference's, item for item.
/// </summary>
[Collection(LocalServicesGroup.Name)]
public sealed class AzureFaultsTests(LocalServices services, ITestOutputHelper output)
{
    /// <summary>The slice: lines 3,101 to 4,600, with flags of most kinds, notifications and the poison lines.</summary>
    private const int SkippedLines = 3100;
    private const int Lines = 1500;
    private const int Partitions = 4;
    private const int BatchSize = 50;
    private const double FaultRate = 0.05;

    /// <summary>Higher for Storage: the slice makes only a hundred or so Storage requests (dead letters and pushes).</summary>
    private const double StorageFaultRate = 0.2;
    private const int Seed = 9;

    /// <summary>Every this many batches, the first delivery dies in a store outage after a few requests.</summary>
    private const int OutageEvery = 6;

    private const int MaxDeliveries = 10;

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_example_slice_under_store_faults_and_redelivery_leaves_the_effects_of_a_clean_run()
    {
        var batches = Slice();
        var keys = batches.SelectMany(b => b.Events).Select(e => e.Key).ToHashSet();

        // The reference: the same composition and stages over the in-memory stores, no faults.
        await using var reference = Compose(database: null, cosmosFaults: null, storageFaults: null);
        await LoadConfigurationAsync(reference);
        var referencePipeline = reference.GetRequiredService<EventPipeline>();
        foreach (var batch in batches)
        {
            await referencePipeline.ProcessDecodedAsync(batch.Hub, batch.Partition, batch.Events, batch.Poison, None);
        }

        var partitions = batches.Select(b => (b.Hub, b.Partition)).Distinct().ToList();
        await referencePipeline.FlushAsync(partitions, None);

        var expectedNotifications = ((InMemoryNotificationStore)reference.GetRequiredService<INotificationStore>()).All;
        var expectedPushes = ((InMemoryPushQueue)reference.GetRequiredService<IPushQueue>()).Requests;
        var expectedFlags = ((InMemoryFlagStore)reference.GetRequiredService<IFlagStore>()).All;
        var expectedDeadLetters = ((InMemoryDeadLetterStore)reference.GetRequiredService<IDeadLetterStore>()).All;
        var expectedProfiles = new List<PlayerProfile>();
        var referenceProfiles = (InMemoryProfileStore)reference.GetRequiredService<IProfileStore>();
        foreach (var game in referenceProfiles.GameIds)
        {
            expectedProfiles.AddRange(await referenceProfiles.ListByGameAsync(game, None).ToListAsync());
        }

        // So the test cannot pass on an empty slice: every kind of effect is there.
        Assert.NotEmpty(expectedNotifications);
        Assert.NotEmpty(expectedPushes);
        Assert.NotEmpty(expectedFlags);
        Assert.NotEmpty(expectedProfiles);
        Assert.NotEmpty(expectedDeadLetters);

        // The Azure run: Cosmos and Storage through faulty clients.
        var cosmosFaults = new CosmosFaults(FaultRate, Seed);
        var storageFaults = new StorageFaults(StorageFaultRate, Seed);
        await using var azure = Compose(services.NewCosmosDatabase(), cosmosFaults, storageFaults);
        foreach (var resource in azure.GetServices<StartupResource>())
        {
            await resource.EnsureAsync(azure, None);
        }

        await LoadConfigurationAsync(azure);
        var queue = new QueueServiceClient(services.StorageConnectionString).GetQueueClient(StorageQueuePushQueue.QueueName);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();

        using var retries = new RetryCounter();
        var pipeline = azure.GetRequiredService<EventPipeline>();
        var outages = new Random(Seed);
        var failedDeliveries = 0;
        cosmosFaults.Enabled = storageFaults.Enabled = true;
        for (var i = 0; i < batches.Count; i++)
        {
            if ((i + 1) % OutageEvery == 0)
            {
                cosmosFaults.ArmOutage(outages.Next(1, 40));
            }

            var (_, failed) = await DeliverAsync(pipeline, batches[i], cosmosFaults);
            failedDeliveries += failed;
        }

        // The instance stops: the profiles its partitions hold are written out, under the same faults.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await pipeline.FlushAsync(partitions, None);
                break;
            }
            catch (Exception) when (attempt < MaxDeliveries)
            {
                failedDeliveries++;
            }
        }

        // The host delivers the whole slice again (a lost checkpoint): nothing is new.
        var redelivered = 0;
        foreach (var batch in batches)
        {
            var (result, failed) = await DeliverAsync(pipeline, batch, cosmosFaults);
            failedDeliveries += failed;
            Assert.Equal(0, result.Processed);
            redelivered += result.Redelivered;
        }

        cosmosFaults.Enabled = storageFaults.Enabled = false;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lines {Lines}, events {keys.Count}, poison {expectedDeadLetters.Count}, batches {batches.Count} delivered twice, deliveries that died {failedDeliveries}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cosmos document requests {cosmosFaults.Requests}: 429 {cosmosFaults.Throttled}, 503 {cosmosFaults.Unavailable}, 408 {cosmosFaults.TimedOut}, applied-then-408 {cosmosFaults.AppliedThenTimedOut}, outage 503 {cosmosFaults.OutageFailures}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storage requests {storageFaults.Requests}: 503 {storageFaults.Unavailable}, 500 {storageFaults.ServerErrors}, sent-then-lost {storageFaults.AppliedThenLost}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store retries {retries.Total} ({string.Join(", ", retries.ByFailure.Select(r => $"{r.Key} {r.Value}"))})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"effects expected: notifications {expectedNotifications.Count}, flags {expectedFlags.Count}, profiles {expectedProfiles.Count}, dead letters {expectedDeadLetters.Count}, events {keys.Count}; pushes {expectedPushes.Count}"));

        Assert.True(cosmosFaults.Throttled > 0 && cosmosFaults.Unavailable > 0 && cosmosFaults.TimedOut > 0 && cosmosFaults.AppliedThenTimedOut > 0 && cosmosFaults.OutageFailures > 0,
            "every kind of Cosmos fault was injected");
        Assert.True(storageFaults.Unavailable > 0 && storageFaults.ServerErrors > 0 && storageFaults.AppliedThenLost > 0, "every kind of Storage fault was injected");
        Assert.True(failedDeliveries > 0, "some deliveries died midway and were redelivered");
        Assert.True(retries.Total > 0, "the store retry ran");
        Assert.Equal(keys.Count, redelivered);

        // Every effect of the reference, exactly once, equal; nothing else.
        var notifications = azure.GetRequiredService<INotificationStore>();
        foreach (var expected in expectedNotifications)
        {
            var stored = await notifications.GetAsync(expected.UserId, expected.Id, None);
            Assert.NotNull(stored);
            Assert.Equal(Comparable(expected), Comparable(stored));
        }

        var flags = azure.GetRequiredService<IFlagStore>();
        foreach (var expected in expectedFlags)
        {
            var stored = await flags.GetAsync(expected.GameId, expected.Id, None);
            Assert.NotNull(stored);
            Assert.Equal(expected with { Evidence = default }, stored with { Evidence = default });
            Assert.True(JsonElement.DeepEquals(expected.Evidence, stored.Evidence), $"flag {expected.Id}: evidence {expected.Evidence} is stored as {stored.Evidence}");
        }

        var profiles = azure.GetRequiredService<IProfileStore>();
        foreach (var expected in expectedProfiles)
        {
            var stored = await profiles.GetAsync(expected.GameId, expected.UserId, None);
            Assert.NotNull(stored);
            Assert.Equal(Comparable(expected), Comparable(stored.Profile));
        }

        var client = azure.GetRequiredService<CosmosClient>();
        var database = azure.GetRequiredService<IOptions<CosmosOptions>>().Value.Database;
        Assert.Equal(expectedNotifications.Count, await CountAsync(client, database, CosmosNotificationStore.ContainerName));
        Assert.Equal(expectedFlags.Count, await CountAsync(client, database, "flags"));
        Assert.Equal(expectedProfiles.Count, await CountAsync(client, database, CosmosProfileStore.ContainerName));

        // Every event is in the partition's durable state, as a new owner would load it from the blobs.
        var states = TestStates.Over(azure.GetRequiredService<IPartitionStateStore>());
        var remembered = 0;
        foreach (var (hub, partition) in batches.Select(b => (b.Hub, b.Partition)).Distinct())
        {
            remembered += (await states.AcquireAsync(hub, partition, None)).Window.Count;
        }

        Assert.Equal(keys.Count, remembered);

        var blobs = new BlobServiceClient(services.StorageConnectionString).GetBlobContainerClient(BlobDeadLetterStore.ContainerName);
        foreach (var letter in expectedDeadLetters)
        {
            var content = (await blobs.GetBlobClient(letter.Name).DownloadContentAsync()).Value.Content;
            Assert.Equal(letter.Body.ToArray(), content.ToArray());
        }

        // The queue is at least once (a send whose answer was lost is sent again); the push sender
        // skips a notification already delivered, so each notification is pushed once.
        var queued = await ReadQueueAsync(queue);
        Assert.Equal(
            expectedPushes.Select(p => p.NotificationId).Order(StringComparer.Ordinal),
            queued.Select(p => p.NotificationId).Distinct().Order(StringComparer.Ordinal));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seen: all of them; push messages {queued.Count} for {expectedPushes.Count} pushes"));
        Assert.All(queued, p => Assert.Equal(expectedPushes.Single(e => e.NotificationId == p.NotificationId), p));

    }

    /// <summary>The function app's composition, over in-memory stores (no database) or over the stand-ins through the faulty clients.</summary>
    private ServiceProvider Compose(CosmosOptions? database, CosmosFaults? cosmosFaults, StorageFaults? storageFaults)
    {
        var settings = new Dictionary<string, string?> { ["Storage"] = services.StorageConnectionString };
        if (database is not null)
        {
            settings["Cosmos:AccountEndpoint"] = database.AccountEndpoint!.ToString();
            settings["Cosmos:Key"] = database.Key;
            settings["Cosmos:IsLocalEmulator"] = "true";
            settings["Cosmos:Database"] = database.Database;
            settings["Cosmos:CreateResources"] = "true";
        }

        var collection = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        // Shorter waits than the app's, so the test is quick; the retry logic is the app's.
        collection.Configure<StoreRetryOptions>(o => (o.BaseDelay, o.MaxDelay) = (TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100)));

        // Event Hubs has no local stand-in: fraud actions stay in memory (their own tests cover the publisher).
        collection.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(new InMemoryFraudActionPublisher()));
        if (database is null)
        {
            collection.UseEmbeddedStores();
        }
        else
        {
            collection.Replace(ServiceDescriptor.Singleton(sp => CosmosSetup.CreateClient(
                sp.GetRequiredService<IOptions<CosmosOptions>>().Value, new DefaultAzureCredential(), cosmosFaults is null ? [] : [cosmosFaults])));
            collection.AddAzureClients(clients => clients.ConfigureDefaults(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(5);
                if (storageFaults is not null)
                {
                    options.AddPolicy(storageFaults, HttpPipelinePosition.BeforeTransport);
                }
            }));
        }

        return collection.BuildServiceProvider();
    }

    /// <summary>The example's rules, fraud settings and IP ranges, loaded as an operator would.</summary>
    private static async Task LoadConfigurationAsync(IServiceProvider provider)
    {
        var rules = RulesFile.Load(Path.Combine(RepositoryFiles.Examples, "rules.json"));
        Assert.True(rules.IsValid);
        foreach (var rule in rules.Rules)
        {
            await provider.GetRequiredService<IRuleStore>().UpsertAsync(rule, null, None);
        }

        var fraud = FraudConfigLoader.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryFiles.Examples, "fraud.json")));
        foreach (var (gameId, config) in fraud.Games)
        {
            await provider.GetRequiredService<IFraudConfigStore>().SaveAsync(gameId, config, null, None);
        }

        provider.GetRequiredService<CurrentRangeTable>().Use(RangeTableLoader.FromDirectory(RepositoryFiles.Examples).Table);
    }

    /// <summary>Delivers a batch until a delivery completes, as the host's retry policy does; an outage ends with the failed delivery.</summary>
    private static async Task<(BatchResult Result, int Failed)> DeliverAsync(EventPipeline pipeline, Batch batch, CosmosFaults faults)
    {
        for (var failed = 0; ; failed++)
        {
            try
            {
                var result = await pipeline.ProcessDecodedAsync(batch.Hub, batch.Partition, batch.Events, batch.Poison, None);
                faults.EndOutage();
                return (result, failed);
            }
            catch (Exception) when (failed < MaxDeliveries)
            {
                faults.EndOutage();
            }
        }
    }

    /// <summary>The slice's lines as the trigger would see them: routed by user to a partition of their hub, in batches.</summary>
    private static List<Batch> Slice()
    {
        var batches = new List<Batch>();
        var buffers = new Dictionary<(string Hub, int Partition), List<GameEvent>>();
        var poison = new List<DeadLetter>();
        var events = new List<GameEvent>();
        void Flush((string Hub, int Partition) at, List<GameEvent> buffer)
        {
            batches.Add(new Batch(at.Hub, at.Partition.ToString(CultureInfo.InvariantCulture), [.. buffer], [.. poison]));
            buffer.Clear();
            poison.Clear();
        }

        var number = SkippedLines;
        foreach (var line in File.ReadLines(Path.Combine(RepositoryFiles.Examples, "events.jsonl")).Skip(SkippedLines).Take(Lines))
        {
            number++;
            events.Clear();
            var origin = new MessageOrigin("game-events", "0", number, string.Create(CultureInfo.InvariantCulture, $"events.jsonl:{number}"), null);
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), origin, events, poison);
            foreach (var e in events)
            {
                var at = (e.IsPayment ? "payment-events" : "game-events", Partitioning.PartitionFor(e.UserId, Partitions));
                var buffer = buffers.TryGetValue(at, out var found) ? found : buffers[at] = [];
                buffer.Add(e.WithOrigin(origin with { Hub = at.Item1, Partition = at.Item2.ToString(CultureInfo.InvariantCulture) }));
                if (buffer.Count == BatchSize)
                {
                    Flush(at, buffer);
                }
            }
        }

        foreach (var (at, buffer) in buffers.Where(b => b.Value.Count > 0))
        {
            Flush(at, buffer);
        }

        return batches;
    }

    /// <summary>A notification as the inbox shows it; its creation time is the processing clock's, so left out.</summary>
    private static string Comparable(Notification notification) =>
        JsonSerializer.Serialize(notification with { CreatedAt = default, Time = notification.Time.ToUniversalTime() }, NotificationsJsonContext.Default.Notification);

    private static string Comparable(PlayerProfile profile) =>
        JsonSerializer.Serialize(new ProfileItem(profile.UserId, profile.GameId, profile.UserId, profile), ProfilesCosmosJson.Default.ProfileItem);

    /// <summary>Items in a container, whatever their partition: a duplicate under another id would show here.</summary>
    private static async Task<int> CountAsync(CosmosClient client, string database, string container)
    {
        using var query = client.GetContainer(database, container).GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c");
        var count = 0;
        while (query.HasMoreResults)
        {
            count += (await query.ReadNextAsync()).Sum();
        }

        return count;
    }

    private static async Task<List<PushRequest>> ReadQueueAsync(QueueClient queue)
    {
        var requests = new List<PushRequest>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
            if (messages.Length == 0)
            {
                return requests;
            }

            requests.AddRange(messages.Select(m => JsonSerializer.Deserialize(Convert.FromBase64String(m.Body.ToString()), NotificationsJsonContext.Default.PushRequest)!));
        }
    }

    private sealed record Batch(string Hub, string Partition, IReadOnlyList<GameEvent> Events, IReadOnlyList<DeadLetter> Poison);

    /// <summary>The store retries the pipeline counted (its <c>gamesignals.store.retries</c> counter), by failure kind.</summary>
    private sealed class RetryCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _byFailure = [];

        public RetryCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelineMetrics.MeterName && instrument.Name == "gamesignals.store.retries")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var failure = tags.ToArray().FirstOrDefault(t => t.Key == "failure").Value?.ToString() ?? "?";
                lock (_byFailure)
                {
                    _byFailure[failure] = _byFailure.GetValueOrDefault(failure) + value;
                }
            });
            _listener.Start();
        }

        public long Total
        {
            get
            {
                lock (_byFailure)
                {
                    return _byFailure.Values.Sum();
                }
            }
        }

        public IReadOnlyList<KeyValuePair<string, long>> ByFailure
        {
            get
            {
                lock (_byFailure)
                {
                    return [.. _byFailure.OrderBy(p => p.Key, StringComparer.Ordinal)];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
