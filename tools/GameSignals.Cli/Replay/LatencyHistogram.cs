namespace GameSignals.Cli.Replay;

/// <summary>
/// Per-event latencies in log-spaced buckets (1% wide), so percentiles of millions of events cost a
/// few kilobytes instead of one number per event. Reported values are bucket upper bounds.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double Growth = 1.01;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[2400]; // 1.01^2400 µs is far beyond any run

    public long Count { get; private set; }

    public void Record(TimeSpan latency, long count = 1)
    {
        var micros = Math.Max(latency.TotalMicroseconds, 1);
        var bucket = Math.Min((int)Math.Ceiling(Math.Log(micros) / LogGrowth), _counts.Length - 1);
        _counts[bucket] += count;
        Count += count;
    }

    /// <summary>The latency in milliseconds under which <paramref name="percentile"/> % of events fall.</summary>
    public double PercentileMilliseconds(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        long seen = 0;
        for (var bucket = 0; bucket < _counts.Length; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank)
            {
                return Math.Round(Math.Pow(Growth, bucket) / 1000, 3);
            }
        }

        return Math.Round(Math.Pow(Growth, _counts.Length - 1) / 1000, 3);
    }
}
