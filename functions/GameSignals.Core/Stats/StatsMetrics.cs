using System.Diagnostics.Metrics;

namespace GameSignals.Stats;

/// <summary>The stats stage's instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class StatsMetrics : IDisposable
{
    public const string MeterName = "GameSignals.Stats";

    private readonly Meter _meter;

    public StatsMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Moments = _meter.CreateCounter<long>("gamesignals.stats.moments", "{moment}", "Moments found, by type.");
        NoPeers = _meter.CreateCounter<long>("gamesignals.stats.no_peers", "{message}", "Stats messages not sent because the player's peers are not known yet (or too few), by rule.");
        Sent = _meter.CreateCounter<long>("gamesignals.stats.sent", "{notification}", "Stats notifications written for treatment players, by rule.");
        WouldHaveReceived = _meter.CreateCounter<long>("gamesignals.stats.would_have_received", "{notification}", "Stats notifications recorded for control players, by rule.");
        PeerLookups = _meter.CreateCounter<long>("gamesignals.stats.peers.lookups", "{lookup}", "Standings asked of the peers cache.");
        PeerSearches = _meter.CreateCounter<long>("gamesignals.stats.peers.searches", "{search}", "Standings the peers cache computed (a similarity search each).");
    }

    public Counter<long> Moments { get; }

    public Counter<long> NoPeers { get; }

    public Counter<long> Sent { get; }

    public Counter<long> WouldHaveReceived { get; }

    public Counter<long> PeerLookups { get; }

    public Counter<long> PeerSearches { get; }

    public void Dispose() => _meter.Dispose();
}
