using System.Diagnostics.Metrics;

namespace GameSignals.IpRanges;

/// <summary>The refresh's instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class IpRangesMetrics : IDisposable
{
    public const string MeterName = "GameSignals.IpRanges";

    private readonly Meter _meter;

    public IpRangesMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Refreshes = _meter.CreateCounter<long>("gamesignals.ipranges.refreshes", "{refresh}",
            "Refreshes run, by outcome (published|unchanged|refused|conflict|failed); published and unchanged are successes.");
        Published = _meter.CreateCounter<long>("gamesignals.ipranges.published", "{snapshot}", "Range snapshots published.");
        Refused = _meter.CreateCounter<long>("gamesignals.ipranges.refused", "{download}",
            "Source downloads refused (tags: source, reason = download|oversize|parse|shrink); the last good copy stays.");
        BadRows = _meter.CreateCounter<long>("gamesignals.ipranges.bad_rows", "{row}", "Rows skipped by the parsers, by source.");
        Conflicts = _meter.CreateCounter<long>("gamesignals.ipranges.pointer_conflicts", "{publish}",
            "Publishes lost because the snapshot pointer moved meanwhile.");
    }

    public Counter<long> Refreshes { get; }

    public Counter<long> Published { get; }

    public Counter<long> Refused { get; }

    public Counter<long> BadRows { get; }

    public Counter<long> Conflicts { get; }

    public void Dispose() => _meter.Dispose();
}
