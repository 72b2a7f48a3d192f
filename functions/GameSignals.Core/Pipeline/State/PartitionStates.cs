using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Pipeline.State;

/// <summary>
/// The states of the partitions this instance processes: loaded from the store when a partition's first batch arrives
/// (snapshot, then the changelog after it), committed with one conditioned append per batch, compacted into a new
/// snapshot generation every so often, and dropped when a batch fails, so that the next batch starts from what is durable.
/// </summary>
/// <remarks>
/// A damaged changelog record or snapshot (truncated, or failing its CRC-64) is never skipped silently: the state is
/// rebuilt from what is intact before it (the previous generation's snapshot when the newest one is damaged), the loss is
/// logged as an error and counted (<c>gamesignals.state.damaged</c>), and a new generation is started from it, so the
/// damaged bytes are never appended to again.
/// </remarks>
public sealed partial class PartitionStates(
    IPartitionStateStore store,
    IEnumerable<PartitionStatePartType> parts,
    IOptions<PartitionStateOptions> options,
    PipelineMetrics metrics,
    ILogger<PartitionStates> logger)
{
    private readonly PartitionStatePartType[] _parts = [.. parts];
    private readonly PartitionStateOptions _options = options.Value;
    private readonly ConcurrentDictionary<(string Hub, string Partition), PartitionState> _loaded = new();

    /// <summary>The partition's state, loaded from the store the first time (or after <see cref="Drop"/>).</summary>
    public async ValueTask<PartitionState> AcquireAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue((hub, partition), out var state))
        {
            return state;
        }

        state = await LoadAsync(hub, partition, cancellationToken).ConfigureAwait(false);
        _loaded[(hub, partition)] = state;
        return state;
    }

    /// <summary>
    /// Appends the batch's changes (nothing when none), then starts a new generation when the changelog is long enough.
    /// </summary>
    /// <exception cref="ChangelogFencedException">Another instance wrote the partition's state: this one must drop it.</exception>
    public async ValueTask CommitAsync(PartitionState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.TakeRecord() is not { } record)
        {
            return;
        }

        state.Position = await store.AppendAsync(state.Hub, state.Partition, record, state.Position, cancellationToken).ConfigureAwait(false);
        state.RecordsInGeneration++;
        if (state.RecordsInGeneration >= _options.SnapshotEveryRecords || state.Position.Length >= _options.SnapshotAtBytes)
        {
            // The seal is appended under the same condition, so only the owner that wrote the last record starts the next generation.
            state.Position = await store.AppendAsync(state.Hub, state.Partition, ChangelogFraming.Frame(PartitionState.Seal()), state.Position, cancellationToken).ConfigureAwait(false);
            await StartGenerationAsync(state, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The states loaded now.</summary>
    public IReadOnlyCollection<PartitionState> Loaded => [.. _loaded.Values];

    /// <summary>Forgets the partition's state in memory: after a failed batch, or when the partition's lease is lost.</summary>
    public void Drop(string hub, string partition) => _loaded.TryRemove((hub, partition), out _);

    private async ValueTask<PartitionState> LoadAsync(string hub, string partition, CancellationToken cancellationToken)
    {
        var generations = await store.LoadAsync(hub, partition, cancellationToken).ConfigureAwait(false);
        if (generations.Count == 0)
        {
            return PartitionState.Create(hub, partition, _options.DuplicateWindow, _parts);
        }

        var newest = generations[^1];
        var (state, damage, sealedLast) = Restore(hub, partition, generations);
        state.Position = newest.Next;
        if (damage is not null)
        {
            metrics.StateDamaged.Add(1, new KeyValuePair<string, object?>("hub", hub));
            LogDamaged(hub, partition, damage, state.Watermark);
        }

        if (damage is not null || sealedLast)
        {
            // Never append after damaged bytes or a seal: the state as recovered becomes the next generation's snapshot.
            await StartGenerationAsync(state, cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>
    /// The state from the newest intact snapshot and the changelogs from its generation on; what was damaged (null when
    /// nothing), and whether the newest changelog ends with a seal.
    /// </summary>
    private (PartitionState State, string? Damage, bool SealedLast) Restore(string hub, string partition, IReadOnlyList<StoredGeneration> generations)
    {
        string? damage = null;
        var start = generations.Count - 1;
        var image = IntactSnapshot(generations[start]);
        while (start > 0 && image is null)
        {
            damage = $"the snapshot of generation {generations[start].Generation} is damaged";
            image = IntactSnapshot(generations[--start]);
        }

        var first = generations[start];
        if (first.Generation > 0 && image is null)
        {
            // No intact snapshot to start from (only the newest two generations are kept): start empty, and say so.
            damage = $"the snapshot of generation {first.Generation} is damaged or missing and no older one is kept";
            return (PartitionState.Create(hub, partition, _options.DuplicateWindow, _parts), damage, false);
        }

        var logs = generations.Skip(start).Select(g => (g.Generation, Parsed: ChangelogFraming.Parse(g.Changelog))).ToList();
        var seed = image is { } snapshot ? PartitionState.SeedOf(snapshot.Span)
            : logs.SelectMany(log => log.Parsed.Records).Select(r => PartitionState.SeedOfRecord(r.Span)).FirstOrDefault(s => s is not null);
        var state = seed is { } known
            ? new PartitionState(hub, partition, _options.DuplicateWindow, known, _parts)
            : PartitionState.Create(hub, partition, _options.DuplicateWindow, _parts);
        if (image is { } restored)
        {
            state.Restore(restored);
        }

        var sealedLast = false;
        foreach (var (generation, parsed) in logs)
        {
            foreach (var record in parsed.Records)
            {
                sealedLast = state.Apply(record);
            }

            state.RecordsInGeneration = parsed.Records.Count;

            if (parsed.DamagedAt is { } offset)
            {
                damage = $"the changelog of generation {generation} is damaged at byte {offset}";
                break;
            }
        }

        return (state, damage, sealedLast);
    }

    /// <summary>The generation's snapshot image when it is there and passes its length and CRC-64; null otherwise.</summary>
    private static ReadOnlyMemory<byte>? IntactSnapshot(StoredGeneration generation) =>
        generation.Snapshot is { } bytes && ChangelogFraming.Parse(bytes) is { DamagedAt: null, Records: [var image] } ? image : (ReadOnlyMemory<byte>?)null;

    private async ValueTask StartGenerationAsync(PartitionState state, CancellationToken cancellationToken)
    {
        var next = state.Position.Generation + 1;
        state.Position = await store.StartGenerationAsync(state.Hub, state.Partition, next, state.Snapshot(), cancellationToken).ConfigureAwait(false);
        state.RecordsInGeneration = 0;
        LogGeneration(state.Hub, state.Partition, next, state.Window.Count, state.Watermark);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "The state of {Hub}/{Partition} was damaged ({Damage}); rebuilt from what was intact, up to sequence number {Watermark}. Duplicates, cooldowns and languages after it are forgotten.")]
    private partial void LogDamaged(string hub, string partition, string damage, long watermark);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Started generation {Generation} of the state of {Hub}/{Partition}: {Keys} event keys remembered, watermark {Watermark}")]
    private partial void LogGeneration(string hub, string partition, long generation, int keys, long watermark);
}
