using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Pipeline;
using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Integration.Tests;

/// <summary>The Cosmos ledger against the stand-in; each test class run has its own database.</summary>
[Collection(LocalServicesGroup.Name)]
public sealed class CosmosEventLedgerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Time = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CosmosOptions _options;
    private readonly CosmosClient _client;
    private readonly CosmosEventLedger _ledger;

    public CosmosEventLedgerTests(LocalServices services)
    {
        _options = services.NewCosmosDatabase();
        _options.LedgerRetention = TimeSpan.FromDays(3);
        _client = CosmosSetup.CreateClient(_options, new global::Azure.Identity.DefaultAzureCredential());
        _ledger = new CosmosEventLedger(_client, Options.Create(_options));
    }

    public Task InitializeAsync() =>
        CosmosSetup.EnsureResourcesAsync(_client, _options.Database, [CosmosEventLedger.ContainerSpec(_options)], CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _client.GetDatabase(_options.Database).DeleteStreamAsync();
        _client.Dispose();
    }

    [Fact]
    public async Task Recorded_events_are_found_with_their_position_and_unknown_ones_are_not()
    {
        var recorded = Entry("/games/odin/kr-01", "e1", sequence: 10);
        await _ledger.RecordAsync([recorded, Entry("/games/odin/kr-01", "e2", sequence: 11)], CancellationToken.None);

        var found = await _ledger.FindAsync([recorded.Key, new EventKey("/games/odin/kr-01", "never-sent")], CancellationToken.None);

        Assert.Equal(recorded, Assert.Single(found).Value);
    }

    [Fact]
    public async Task Recording_an_event_again_keeps_the_first_position_without_failing()
    {
        var first = Entry("/games/ares/world", "boss-1", sequence: 5);
        await _ledger.RecordAsync([first], CancellationToken.None);

        await _ledger.RecordAsync([first with { Partition = "9", SequenceNumber = 77 }], CancellationToken.None);

        Assert.Equal(first, (await _ledger.FindAsync([first.Key], CancellationToken.None))[first.Key]);
    }

    [Fact]
    public async Task The_same_id_from_two_sources_is_two_events()
    {
        var odin = Entry("/games/odin/kr-01", "same-id", sequence: 1);
        var ares = Entry("/games/ares/kr-01", "same-id", sequence: 2);

        await _ledger.RecordAsync([odin, ares], CancellationToken.None);

        var found = await _ledger.FindAsync([odin.Key, ares.Key], CancellationToken.None);
        Assert.Equal((odin, ares), (found[odin.Key], found[ares.Key]));
    }

    [Fact]
    public async Task The_events_container_forgets_entries_after_the_configured_retention()
    {
        var container = await _client.GetContainer(_options.Database, CosmosEventLedger.ContainerName).ReadContainerAsync();

        Assert.Equal((int)TimeSpan.FromDays(3).TotalSeconds, container.Resource.DefaultTimeToLive);
        Assert.Equal("/id", container.Resource.PartitionKeyPath);
    }

    [Fact]
    public async Task A_batch_larger_than_the_concurrency_bound_is_recorded_and_found_whole()
    {
        var entries = Enumerable.Range(0, 40).Select(i => Entry("/games/odin/kr-01", $"bulk-{i}", sequence: i)).ToList();

        await _ledger.RecordAsync(entries, CancellationToken.None);

        var found = await _ledger.FindAsync([.. entries.Select(e => e.Key)], CancellationToken.None);
        Assert.Equal(entries.Count, found.Count);
    }

    private static LedgerEntry Entry(string source, string id, long sequence) =>
        new(new EventKey(source, id), "game-events", "3", sequence, Time.AddSeconds(sequence));
}
