using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using GameSignals.Cli.Replay.Faults;
using GameSignals.Cli.Replay.Outputs;
using GameSignals.Events;
using GameSignals.Fraud;
using GameSignals.Pipeline;
using GameSignals.Profiles;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Cli.Replay;

/// <summary>
/// Streams event files through the real <see cref="EventPipeline"/> as the host would: every line is
/// decoded, routed by <c>userid</c> to a simulated partition of its hub, and each partition's batch is
/// processed once full. Memory stays bounded by partitions × batch size (plus the partitions' state and stores).
/// </summary>
/// <remarks>
/// <para>
/// Partitions' batches run at the same time, as the host runs its partitions', each partition's one after another; the
/// stages and stores are the ones the function app shares between its partitions. With <c>--fault-rate</c> or
/// <c>--crash-every</c> one batch runs at a time: a crash takes down the instance with everything it runs, and the faults
/// are drawn in order from their seed.
/// </para>
/// <para>
/// A batch that throws is delivered again, as the host's retry policy does; with <c>--crash-every</c> the
/// failure is the death of the host instance, and the batch goes to a new instance over the same stores.
/// Only a delivery that completes counts in the summary, so a redelivery changes no count.
/// </para>
/// </remarks>
internal sealed class ReplayRunner : IDisposable
{
    public const string GameHub = "game-events";
    public const string PaymentHub = "payment-events";

    /// <summary>The hub an event read by replay names as its origin, with its file as the offset and its line's sequence in the stream.</summary>
    public const string ReplayOrigin = "replay";
    public const string DeadLetterFile = "deadletter.jsonl";
    public const string SummaryFile = "summary.json";

    /// <summary>Deliveries of one batch before replay gives up (the host would go on; replay must end).</summary>
    public const int MaxDeliveries = 20;

    /// <summary>Lines the reader hands over at once, and how many such chunks it may be ahead of the stages.</summary>
    private const int LinesPerChunk = 32;
    private const int ChunksReadAhead = 2;

    /// <summary>A crashing batch dies after 1 to this many of its store writes (or at its checkpoint if it has fewer).</summary>
    private const int MaxCrashPoint = 40;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ReplayStores _stores;
    private readonly FaultInjector? _faults;
    private readonly ReplayOptions _options;
    private readonly string[] _partitionNames;
    private readonly Batch[] _buffers; // index: partition * 2 + hub (0 game, 1 payment)
    private readonly List<DeadLetter> _pendingPoison = [];
    private readonly ConcurrentQueue<RoutedLines> _spareChunks = new(); // handed back by the stages to the reader
    private readonly ByteSlab _keptBytes = new(); // the reader's: what decoded events keep of a borrowed line
    private readonly List<long> _firstSequences = []; // of each file, by the reader: a dead letter's line is found from its sequence
    private readonly LatencyHistogram _latency = new();
    private readonly StatsCounts _stats = new();

    private readonly bool _concurrent; // partitions' batches at the same time (see remarks)
    private readonly Task?[] _running; // per buffer, its batch in flight
    private readonly Lock _counting = new(); // the counts and latencies batches add as they finish

    private long _lines;
    private long _duplicates;
    private long _deadLettered;
    private long _batches;
    private long _crashes;
    private long _redeliveries;
    private long _redeliveredEvents;
    private ServiceProvider _instance;
    private EventPipeline _pipeline;
    private DateTimeOffset? _nextRenormalization;

    private ReplayRunner(ReplayStores stores, FaultInjector? faults, ReplayOptions options)
    {
        _stores = stores;
        _faults = faults;
        _options = options;
        _instance = ReplayComposition.Build(stores, options.WithStages, faults);
        _stats.Track(_instance);
        _pipeline = _instance.GetRequiredService<EventPipeline>();
        _partitionNames = [.. Enumerable.Range(0, options.Partitions).Select(p => p.ToString(CultureInfo.InvariantCulture))];
        _buffers = [.. Enumerable.Range(0, options.Partitions * 2).Select(i => new Batch(i, i % 2 == 0 ? GameHub : PaymentHub, _partitionNames[i / 2], options.BatchSize))];
        _running = new Task?[_buffers.Length];
        _concurrent = faults is null;
    }

    /// <summary>Replays the files into <see cref="ReplayOptions.OutDirectory"/> and returns the summary it wrote.</summary>
    public static async Task<ReplaySummary> RunAsync(ReplayOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var config = ReplayConfiguration.Load(options.ConfigDirectory);
        var totalBytes = options.EventFiles.Sum(SizeOf);
        try
        {
            Directory.CreateDirectory(options.OutDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot create output directory {options.OutDirectory}: {ex.Message}", ex);
        }

        var stores = ReplayStores.Load(config, options.WithStages, options.DuplicateWindow);
        var faults = options.FaultRate > 0 || options.CrashEvery > 0 ? new FaultInjector(options.FaultRate, options.FaultSeed) : null;
        using var runner = new ReplayRunner(stores, faults, options);
        var clock = Stopwatch.StartNew();
        await console.RunWithProgressAsync("replay", totalBytes, "bytes", report => runner.ProcessAsync(report, cancellationToken)).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var memory = MemorySummary.Now();
        var cpu = CpuSummary.Now();

        // Reading the final state for the outputs is not part of the run: no faults there.
        faults?.Enabled = false;
        var outputs = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            [DeadLetterFile] = runner.WriteDeadLetters(stores.DeadLetters, options.OutDirectory),
        };
        foreach (var output in runner._instance.GetServices<IReplayOutput>())
        {
            var stream = File.Create(Path.Combine(options.OutDirectory, output.FileName));
            await using (stream.ConfigureAwait(false))
            {
                outputs[output.FileName] = await output.WriteAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        var summary = runner.Summarize(elapsed, outputs, memory, cpu);
        await File.WriteAllBytesAsync(
            Path.Combine(options.OutDirectory, SummaryFile),
            JsonSerializer.SerializeToUtf8Bytes(summary, CliJsonContext.Default.ReplaySummary),
            cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>Replays the files into <paramref name="stores"/>, which keep what they hold (the console serves it); no output is written.</summary>
    public static async Task ReplayIntoAsync(ReplayStores stores, ReplayOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        var totalBytes = options.EventFiles.Sum(SizeOf);
        using var runner = new ReplayRunner(stores, null, options);
        await console.RunWithProgressAsync("replay", totalBytes, "bytes", report => runner.ProcessAsync(report, cancellationToken)).ConfigureAwait(false);
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliUsageException.Unreadable(path, ex);
        }
    }

    private async Task<bool> ProcessAsync(Action<long> report, CancellationToken cancellationToken)
    {
        using var spill = _options.Order == ReplayOrder.HeldBack ? new SpillFile() : null;

        // Reading and decoding run on a second thread, a few lines ahead of the stages: decoding is a fifth of the work
        // and needs nothing the stages hold. Little is read ahead, because a line's latency counts from its reading.
        var chunks = Channel.CreateBounded<RoutedLines>(new BoundedChannelOptions(ChunksReadAhead) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAsync(chunks.Writer, stopReading.Token), stopReading.Token);
        try
        {
            long routed = 0;
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    await RouteAsync(chunk, i, spill, onlyPartition: null, cancellationToken).ConfigureAwait(false);
                    if ((++routed & 0xff) == 0)
                    {
                        await FlushWaitingAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                report(chunk.BytesRead);
                chunk.Clear();
                _spareChunks.Enqueue(chunk);
            }

            _lines = await reading.ConfigureAwait(false);
        }
        finally
        {
            // The stages failed (or were cancelled): the reader stops too, and its end is awaited, as are the batches running.
            await stopReading.CancelAsync().ConfigureAwait(false);
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await DrainAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await FlushAllAsync(cancellationToken).ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);

        // The lagging partition catches up only now, after every other partition has finished.
        if (spill is not null)
        {
            var chunk = new RoutedLines();
            foreach (var line in spill.ReadAll())
            {
                chunk.Clear();
                Decode(line, chunk, borrowed: null);
                await RouteAsync(chunk, 0, spill: null, _options.HeldBackPartition, cancellationToken).ConfigureAwait(false);
            }

            await FlushAllAsync(cancellationToken).ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
        }

        await FlushStatesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads, decodes and routes every line of the event files into <paramref name="output"/>; the number of lines.</summary>
    private async Task<long> ReadAsync(ChannelWriter<RoutedLines> output, CancellationToken cancellationToken)
    {
        try
        {
            long bytesBefore = 0;
            long sequence = 0;
            var chunk = new RoutedLines();
            // Lines that may be set aside for the held-back partition keep their own copy; otherwise each is decoded in the
            // reader's buffer, and only what the events keep is copied.
            var spilling = _options.Order == ReplayOrder.HeldBack;
            for (var fileIndex = 0; fileIndex < _options.EventFiles.Count; fileIndex++)
            {
                _firstSequences.Add(sequence + 1);
                using var reader = new JsonLinesReader(_options.EventFiles[fileIndex]);
                while (reader.TryReadBorrowed(out var bytes))
                {
                    var line = new SourceLine(fileIndex, ++sequence, Stopwatch.GetTimestamp(), spilling ? bytes.ToArray() : bytes);
                    Decode(line, chunk, spilling ? null : _keptBytes);
                    if (chunk.Count == LinesPerChunk)
                    {
                        chunk.BytesRead = bytesBefore + reader.Position;
                        await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                        chunk = _spareChunks.TryDequeue(out var spare) ? spare : new RoutedLines();
                    }
                }

                bytesBefore += reader.Length;
            }

            chunk.BytesRead = bytesBefore;
            await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            output.Complete();
            return sequence;
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    /// <summary>
    /// Decodes one line into <paramref name="chunk"/>: its events, each with the partition its user routes to and its position
    /// there, and its dead letters. With <paramref name="borrowed"/>, the line is the reader's buffer, and is not kept.
    /// </summary>
    private void Decode(in SourceLine line, RoutedLines chunk, ByteSlab? borrowed)
    {
        // Where the line was read: replay routes its events to simulated partitions without copying them to say so.
        var origin = new MessageOrigin(ReplayOrigin, "", line.Sequence, _options.EventFiles[line.FileIndex], null);
        var decoded = chunk.Decoded;
        decoded.Clear();
        EventDecoder.Decode(line.Bytes, origin, decoded, chunk.Poison, borrowed);
        foreach (var e in decoded)
        {
            chunk.Events.Add((e, Partitioning.PartitionFor(e.UserId, _options.Partitions)));
        }

        chunk.Lines.Add(new RoutedLine(borrowed is null ? line : line with { Bytes = default }, chunk.Events.Count, chunk.Poison.Count));
    }
    /// <summary>
    /// The end of the stream: the stages write out what they hold in the partitions' states (profiles), as the host does
    /// when it stops, redelivered like a batch when a store fails or the instance dies.
    /// </summary>
    private async ValueTask FlushStatesAsync(CancellationToken cancellationToken)
    {
        var partitions = _partitionNames.SelectMany(partition => new[] { (GameHub, partition), (PaymentHub, partition) }).ToList();
        for (var delivery = 1; ; delivery++)
        {
            try
            {
                await _pipeline.FlushAsync(partitions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await AfterFailedDeliveryAsync(ex, delivery, "writing out the partitions' state").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Appends the events of line <paramref name="index"/> of <paramref name="chunk"/> to their partitions' buffers, processing a
    /// buffer once it holds a full batch; the line's dead letters travel with the next batch. With <paramref name="spill"/>, lines
    /// with events of the held-back partition are set aside whole; with <paramref name="onlyPartition"/>, such a line is read
    /// again and only that partition's events are taken (its poison was already dead-lettered the first time).
    /// </summary>
    private async ValueTask RouteAsync(RoutedLines chunk, int index, SpillFile? spill, int? onlyPartition, CancellationToken cancellationToken)
    {
        var (line, eventsEnd, poisonEnd) = chunk.Lines[index];
        var (eventsStart, poisonStart) = index == 0 ? (0, 0) : (chunk.Lines[index - 1].EventsEnd, chunk.Lines[index - 1].PoisonEnd);
        if (onlyPartition is null)
        {
            for (var i = poisonStart; i < poisonEnd; i++)
            {
                _pendingPoison.Add(chunk.Poison[i]);
            }
        }

        var spilled = false;
        for (var i = eventsStart; i < eventsEnd; i++)
        {
            var (e, partition) = chunk.Events[i];
            if (onlyPartition is { } only && partition != only)
            {
                continue;
            }

            if (spill is not null && partition == _options.HeldBackPartition)
            {
                if (!spilled)
                {
                    spill.Write(line);
                    spilled = true;
                }

                continue;
            }

            var buffer = _buffers[(partition * 2) + (e.IsPayment ? 1 : 0)];
            buffer.Pending.Add(new Pending(e, line.ReadTimestamp));
            if (buffer.Pending.Count >= _options.BatchSize)
            {
                await FlushAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Processes partial batches whose oldest event has waited longer than the maximum wait, as the
    /// trigger does (its <c>maxWaitTime</c>): a quiet partition, such as payments, is not held up
    /// until its batch fills.
    /// </summary>
    private async ValueTask FlushWaitingAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers)
        {
            if (buffer.Pending.Count > 0 && Stopwatch.GetElapsedTime(buffer.Pending[0].ReadTimestamp) > _options.MaxWait)
            {
                await FlushAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers)
        {
            if (buffer.Pending.Count > 0)
            {
                await FlushAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_pendingPoison.Count > 0)
        {
            await FlushAsync(_buffers[0], cancellationToken).ConfigureAwait(false); // empty now: the dead letters alone
        }
    }

    /// <summary>
    /// Hands one partition's batch over to run once that partition's previous batch is done (at once, one batch at a time
    /// with faults); dead letters read since the last batch travel with it.
    /// </summary>
    private async ValueTask FlushAsync(Batch buffer, CancellationToken cancellationToken)
    {
        Pending[] pending = [.. buffer.Pending];
        buffer.Pending.Clear();
        // Sized at once: a collection expression over the projection grew its list from 4, 0.3% of a 10M-event replay's samples.
        var events = new List<GameEvent>(pending.Length);
        foreach (var p in pending)
        {
            events.Add(p.Event);
        }

        DeadLetter[] poison = [.. _pendingPoison];
        _pendingPoison.Clear();
        await RenormalizeAsync(events, cancellationToken).ConfigureAwait(false);

        if (_running[buffer.Index] is { } previous)
        {
            await previous.ConfigureAwait(false);
        }

        var running = Task.Run(() => RunBatchAsync(buffer, events, poison, pending, cancellationToken), cancellationToken);
        _running[buffer.Index] = running;
        if (!_concurrent)
        {
            await running.ConfigureAwait(false);
        }
    }

    /// <summary>Delivers a handed-over batch, then adds its counts and its lines' latencies.</summary>
    private async Task RunBatchAsync(Batch buffer, List<GameEvent> events, DeadLetter[] poison, Pending[] pending, CancellationToken cancellationToken)
    {
        var result = await DeliverAsync(buffer.Hub, buffer.Partition, events, poison, cancellationToken).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        lock (_counting)
        {
            _duplicates += result.Duplicates;
            _deadLettered += result.DeadLettered;
            _redeliveredEvents += result.Redelivered;
            foreach (var line in pending)
            {
                _latency.Record(Stopwatch.GetElapsedTime(line.ReadTimestamp, now));
            }
        }
    }

    /// <summary>Waits for every batch handed over to be done; then a failure among them is thrown.</summary>
    private Task DrainAsync() => Task.WhenAll(_running.OfType<Task>());

    /// <summary>
    /// Stats messages need the players' peers during the stream, which the hourly <c>ProfilesRenormalize</c> timer gives in
    /// Azure: when games have stats settings, replay runs the same batch step for them every hour of event time (the
    /// newest event of the batch about to run), over the stores directly, outside fault injection as a timer is.
    /// </summary>
    private async ValueTask RenormalizeAsync(List<GameEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0 || !_stores.StatsSettings.All.Any())
        {
            return;
        }

        var newest = events.Max(e => e.Time).ToUniversalTime();
        if (_nextRenormalization is { } next && newest < next)
        {
            return;
        }

        if (_nextRenormalization is not null)
        {
            // The hour's statistics are those of every batch handed over before this one, as when batches ran one at a time.
            await DrainAsync().ConfigureAwait(false);
            var indexer = new ProfileIndexer(_stores.Profiles, _stores.Statistics, _stores.Index);
            foreach (var game in _stores.StatsSettings.All.Select(g => g.GameId).Order(StringComparer.Ordinal))
            {
                await indexer.RefreshGameAsync(game, cancellationToken).ConfigureAwait(false);
            }
        }

        _nextRenormalization = new DateTimeOffset(newest.Year, newest.Month, newest.Day, newest.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
    }

    /// <summary>
    /// Delivers one batch until a delivery completes. Every <c>--crash-every</c>th batch dies after some of its
    /// writes on its first delivery; the batch then goes to a new host instance, from the last checkpoint.
    /// </summary>
    private async ValueTask<BatchResult> DeliverAsync(string hub, string partition, List<GameEvent> events, DeadLetter[] poison, CancellationToken cancellationToken)
    {
        if (_faults is not null && _options.CrashEvery > 0 && ++_batches % _options.CrashEvery == 0)
        {
            _faults.ArmCrash(_faults.NextCrashPoint(MaxCrashPoint));
        }

        for (var delivery = 1; ; delivery++)
        {
            try
            {
                var result = await _pipeline.ProcessDecodedAsync(hub, partition, events, poison, cancellationToken).ConfigureAwait(false);
                _faults?.ReachCheckpoint();
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await AfterFailedDeliveryAsync(ex, delivery, $"a batch of {hub} partition {partition}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A delivery failed: an armed crash takes the host instance down and starts a new one over the same stores, as the
    /// host would; otherwise the work is delivered again, up to <see cref="MaxDeliveries"/> times before replay stops.
    /// </summary>
    private async ValueTask AfterFailedDeliveryAsync(Exception failure, int delivery, string what)
    {
        if (_faults?.TakeCrash() == true)
        {
            _crashes++;
            await _instance.DisposeAsync().ConfigureAwait(false);
            _instance = ReplayComposition.Build(_stores, _options.WithStages, _faults);
            _stats.Track(_instance);
            _pipeline = _instance.GetRequiredService<EventPipeline>();
        }
        else if (delivery >= MaxDeliveries)
        {
            throw new ReplayStoppedException(
                string.Create(CultureInfo.InvariantCulture, $"{what} failed {delivery} deliveries; the last failure: {failure.Message}"), failure);
        }

        Interlocked.Increment(ref _redeliveries);
    }

    public void Dispose()
    {
        _instance.Dispose();
        _stats.Dispose();
    }

    private ReplaySummary Summarize(double elapsedSeconds, IReadOnlyDictionary<string, long> outputs, MemorySummary memory, CpuSummary cpu)
    {
        using var process = Process.GetCurrentProcess();
        return new ReplaySummary
        {
            Events = _lines,
            DeadLettered = _deadLettered,
            Duplicates = _duplicates,
            Notifications = outputs.GetValueOrDefault("notifications.jsonl"),
            Flags = outputs.GetValueOrDefault("flags.jsonl"),
            ElapsedSeconds = Math.Round(elapsedSeconds, 3),
            EventsPerSecond = Math.Round(_lines / Math.Max(elapsedSeconds, 1e-6), 1),
            ShadowNotifications = outputs.GetValueOrDefault(ShadowNotificationsOutput.OutputFile),
            Stats = _stats.Summary(),
            LatencyMs = new LatencySummary(
                _latency.PercentileMilliseconds(50), _latency.PercentileMilliseconds(99),
                _latency.PercentileMilliseconds(99.9), _latency.PercentileMilliseconds(99.97)),
            Partitions = _options.Partitions,
            BatchSize = _options.BatchSize,
            MaxWaitMs = _options.MaxWait.TotalMilliseconds,
            Order = _options.Order == ReplayOrder.HeldBack ? $"held-back:{_options.HeldBackPartition}" : "interleaved",
            Stages = [.. _pipeline.Stages.Select(s => s.Name)],
            Outputs = outputs,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
            Memory = memory,
            Cpu = cpu,
            Reliability = new ReliabilitySummary
            {
                FaultRate = _options.FaultRate,
                CrashEvery = _options.CrashEvery,
                FaultsInjected = (_faults?.Injected ?? new Dictionary<FaultKind, long>()).ToDictionary(f => JsonNamingPolicy.CamelCase.ConvertName(f.Key.ToString()), f => f.Value, StringComparer.Ordinal),
                Crashes = _crashes,
                Redeliveries = _redeliveries,
                RedeliveredEvents = _redeliveredEvents,
                PushRequests = AtLeastOnceSummary.Of(
                    _stores.Notifications.All.Where(n => n.ToPush).Select(n => n.Id), [.. _stores.Push.Requests.Select(r => r.NotificationId)]),
                FraudActions = AtLeastOnceSummary.Of(
                    _stores.Flags.All.Where(f => f.Severity == FlagSeverity.Block).Select(f => f.Id), [.. _stores.FraudActions.Messages.Select(m => m.MessageId)]),
            },
        };
    }

    /// <summary>Writes <c>deadletter.jsonl</c> in stream order: event id when known, reason, file and line, detail.</summary>
    private long WriteDeadLetters(InMemoryDeadLetterStore store, string outDirectory)
    {
        using var stream = new BufferedStream(File.Create(Path.Combine(outDirectory, DeadLetterFile)), 1 << 16);
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        long count = 0;
        foreach (var letter in store.All.OrderBy(d => d.Origin.SequenceNumber).ThenBy(d => d.IndexInMessage))
        {
            // A line's sequence counts the lines of the files before its own.
            var sequence = letter.Origin.SequenceNumber;
            var fileIndex = _firstSequences.FindLastIndex(first => first <= sequence);
            writer.WriteStartObject();
            if (letter.EventId is not null)
            {
                writer.WriteString("eventId", letter.EventId);
            }

            writer.WriteString("reason", letter.Reason);
            writer.WriteNumber("line", sequence - _firstSequences[fileIndex] + 1);
            writer.WriteString("file", _options.EventFiles[fileIndex]);
            writer.WriteString("detail", letter.Detail);
            writer.WriteEndObject();
            writer.Flush();
            writer.Reset();
            stream.WriteByte((byte)'\n');
            count++;
        }

        return count;
    }

    private readonly record struct Pending(GameEvent Event, long ReadTimestamp);

    /// <summary>The events waiting for one partition of one hub.</summary>
    private sealed class Batch(int index, string hub, string partition, int capacity)
    {
        /// <summary>Its place among the runner's buffers.</summary>
        public int Index { get; } = index;

        public string Hub { get; } = hub;

        public string Partition { get; } = partition;

        public List<Pending> Pending { get; } = new(capacity);
    }

    /// <summary>One line of a chunk: where its events and dead letters end in the chunk's lists.</summary>
    private readonly record struct RoutedLine(SourceLine Line, int EventsEnd, int PoisonEnd);

    /// <summary>Lines read and decoded ahead of the stages, handed over together (one hand-over a line would cost more than the line).</summary>
    private sealed class RoutedLines
    {
        public List<RoutedLine> Lines { get; } = new(LinesPerChunk);

        public List<(GameEvent Event, int Partition)> Events { get; } = new(LinesPerChunk * 2);

        public List<DeadLetter> Poison { get; } = [];

        /// <summary>The reader's scratch list for one line's events.</summary>
        public List<GameEvent> Decoded { get; } = [];

        /// <summary>Bytes of the files read up to the chunk's last line, for progress.</summary>
        public long BytesRead { get; set; }

        public int Count => Lines.Count;

        public void Clear()
        {
            Lines.Clear();
            Events.Clear();
            Poison.Clear();
        }
    }
}
