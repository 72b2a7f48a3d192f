using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Azure.Cosmos;
using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Pipeline;

/// <summary>
/// The ledger of processed events in the Cosmos container <c>events</c>: one item per event key,
/// partitioned by its own id, expiring with the container's TTL (<see cref="CosmosOptions.LedgerRetention"/>).
/// </summary>
/// <remarks>
/// Lookups are point reads in parallel (bounded), the cheapest Cosmos operation, and the only kind
/// the local stand-in serves faithfully (its queries and ReadMany do not work). Recording is a create
/// per event: a conflict means another delivery recorded it first, which is the same outcome.
/// Throttling and transient errors are retried by the client, then by <see cref="StoreRetry"/> for each
/// point operation on its own: one unlucky read of a batch's hundreds no longer throws all of them away
/// (the pipeline's retry of the whole lookup stays as the outer line). Anything still failing throws, so
/// the host redelivers the batch.
/// </remarks>
public sealed class CosmosEventLedger : IEventLedger
{
    public const string ContainerName = "events";

    private readonly Container _container;
    private readonly int _concurrency;
    private readonly StoreRetry _retry;

    /// <param name="retry">The app's retry; when null (tests), one with its defaults and the Azure classifier.</param>
    public CosmosEventLedger(CosmosClient client, IOptions<CosmosOptions> options, StoreRetry? retry = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _container = client.GetContainer(options.Value.Database, ContainerName);
        _concurrency = Math.Max(1, options.Value.MaxConcurrency);
        _retry = retry ?? new StoreRetry(classifiers: [new AzureTransientFailures()]);
    }

    /// <summary>The container this ledger needs, for <see cref="CosmosSetup.EnsureResourcesAsync"/>.</summary>
    public static CosmosContainerSpec ContainerSpec(CosmosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(ContainerName, "/id", (int)options.LedgerRetention.TotalSeconds);
    }

    /// <summary>
    /// The item id of a key: a hash, because ids are limited to 255 characters and may not hold
    /// <c>/</c>, <c>\</c>, <c>?</c> or <c>#</c>, which sources (URIs) do.
    /// </summary>
    public static string IdFor(EventKey key) => CosmosItems.HashId(key.Source, key.Id);

    public async ValueTask<IReadOnlyDictionary<EventKey, LedgerEntry>> FindAsync(IReadOnlyCollection<EventKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new ConcurrentDictionary<EventKey, LedgerEntry>();
        await Parallel.ForEachAsync(keys, Parallelism(cancellationToken), async (key, ct) =>
        {
            if (await _retry.ExecuteAsync(static (s, ct) => s.Ledger.ReadAsync(s.Key, ct), (Ledger: this, Key: key), ct).ConfigureAwait(false) is { } entry)
            {
                found[key] = entry;
            }
        }).ConfigureAwait(false);
        return found;
    }

    public async ValueTask RecordAsync(IReadOnlyCollection<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await Parallel.ForEachAsync(entries, Parallelism(cancellationToken), (entry, ct) =>
            _retry.ExecuteAsync(static (s, ct) => s.Ledger.CreateAsync(s.Entry, ct), (Ledger: this, Entry: entry), ct)).ConfigureAwait(false);
    }

    private async ValueTask<LedgerEntry?> ReadAsync(EventKey key, CancellationToken cancellationToken)
    {
        var id = IdFor(key);
        return await CosmosItems.ReadAsync(_container, id, new PartitionKey(id), LedgerJson.Default.LedgerItem, cancellationToken).ConfigureAwait(false) is { Item: var item }
            ? new LedgerEntry(key, item.Hub, item.Partition, item.SequenceNumber, item.EventTime)
            : null;
    }

    /// <summary>Records one event; already there means another delivery (or an attempt whose answer was lost) recorded it first.</summary>
    private async ValueTask CreateAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var id = IdFor(entry.Key);
        var item = new LedgerItem(id, entry.Key.Source, entry.Key.Id, entry.Hub, entry.Partition, entry.SequenceNumber, entry.EventTime);
        await CosmosItems.CreateAsync(_container, item, new PartitionKey(id), LedgerJson.Default.LedgerItem, cancellationToken).ConfigureAwait(false);
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken };
}

/// <summary>One ledger item as stored.</summary>
internal sealed record LedgerItem(
    string Id, string Source, string EventId, string Hub, string Partition, long SequenceNumber, DateTimeOffset EventTime);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LedgerItem))]
internal sealed partial class LedgerJson : JsonSerializerContext;
