using System.Diagnostics.Metrics;

namespace GameSignals.Pipeline;

/// <summary>The pipeline's instruments, on the meter <see cref="MeterName"/> (exported by OpenTelemetry in the app).</summary>
public sealed class PipelineMetrics : IDisposable
{
    public const string MeterName = "GameSignals.Pipeline";

    private readonly Meter _meter;

    public PipelineMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Events = _meter.CreateCounter<long>("gamesignals.events", "{event}", "Events decoded from messages.");
        DeadLetters = _meter.CreateCounter<long>("gamesignals.deadletters", "{event}", "Poison events and messages dead-lettered, by reason.");
        Duplicates = _meter.CreateCounter<long>("gamesignals.duplicates", "{event}", "Events skipped because their (source, id) was already processed.");
        Redelivered = _meter.CreateCounter<long>("gamesignals.redelivered", "{event}", "Events seen again at the same position after a batch was retried.");
        EventAge = _meter.CreateHistogram<double>("gamesignals.event.age", "s", "Seconds from the event's time to the end of its processing.");
        QueueLatency = _meter.CreateHistogram<double>("gamesignals.event.latency", "s", "Seconds from enqueue in Event Hubs to the end of processing.");
        BatchDuration = _meter.CreateHistogram<double>("gamesignals.batch.duration", "s", "Seconds spent processing one batch.");
        StateDamaged = _meter.CreateCounter<long>("gamesignals.state.damaged", "{load}", "Partition states loaded from a damaged changelog or snapshot (rebuilt from what was intact).");
        StoreRetries = _meter.CreateCounter<long>("gamesignals.store.retries", "{retry}", "Units of work tried again after a transient store failure, by failure kind.");
    }

    public Counter<long> Events { get; }

    public Counter<long> DeadLetters { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> Redelivered { get; }

    public Histogram<double> EventAge { get; }

    public Histogram<double> QueueLatency { get; }

    public Histogram<double> BatchDuration { get; }

    public Counter<long> StoreRetries { get; }

    public Counter<long> StateDamaged { get; }

    public void Dispose() => _meter.Dispose();
}
