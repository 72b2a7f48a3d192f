using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GameSignals.Stats;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Cli.Replay;

/// <summary>
/// Sums the stats stage's counters (<see cref="StatsMetrics"/>) of this replay's host instances for <c>summary.json</c>:
/// a moment whose player's peers were not known yet is counted there and written nowhere else. Only the meters of the
/// instances <see cref="Track"/> was given count, so replays running side by side in one process do not mix.
/// </summary>
internal sealed class StatsCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<object, bool> _factories = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public StatsCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StatsMetrics.MeterName && instrument.Meter.Scope is { } scope && _factories.ContainsKey(scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>Counts what <paramref name="instance"/>'s stats stage records; call it before the instance resolves its stages.</summary>
    public void Track(IServiceProvider instance) => _factories[instance.GetRequiredService<IMeterFactory>()] = true;

    public StatsSummary Summary() => new(
        Total("gamesignals.stats.moments"), Total("gamesignals.stats.sent"), Total("gamesignals.stats.would_have_received"),
        Total("gamesignals.stats.no_peers"), Total("gamesignals.stats.peers.lookups"), Total("gamesignals.stats.peers.searches"));

    public void Dispose() => _listener.Dispose();

    private long Total(string name) => _totals.GetValueOrDefault(name);
}

/// <summary>
/// What the stats stage did: moments found, stats notifications sent (treatment) and recorded as would-have-received
/// (control), messages not sent because the player's peers were not known yet, and the peers cache's look-ups and the
/// similarity searches they cost. Deliveries a crash or a failure repeated count again.
/// </summary>
internal sealed record StatsSummary(long Moments, long Sent, long WouldHaveReceived, long NoPeers, long PeerLookups, long PeerSearches);
