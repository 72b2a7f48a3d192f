using System.Collections.Concurrent;

namespace GameSignals.Profiles;

/// <summary>Robust scale of one feature: <c>clip((x - median) / scale, ±<see cref="PopulationStatistics.Clip"/>)</c>.</summary>
public sealed record FeatureScale(string Name, double Median, double Scale);

/// <summary>
/// Per-game population statistics that turn features into comparable numbers: median and interquartile
/// range per numeric feature (after log compression where the feature says so), recomputed in batch.
/// </summary>
public sealed record PopulationStatistics(string GameId, int Players, IReadOnlyList<FeatureScale> Scales)
{
    /// <summary>Scaled values are clipped to ±3 IQRs so one outlier cannot dominate a cosine.</summary>
    public const double Clip = 3;

    /// <summary>
    /// Statistics of one game's profiles. The scale is the IQR; when half the players or more share one value
    /// (most players never pay) the IQR is 0 and the mean absolute deviation from the median stands in, so the
    /// rare players who do differ stand out clearly; 1 when everyone is equal.
    /// </summary>
    public static PopulationStatistics Compute(IEnumerable<PlayerProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var all = profiles.ToList();
        if (all.Count == 0)
        {
            throw new ArgumentException("Statistics need at least one profile.", nameof(profiles));
        }

        var gameId = all[0].GameId;
        if (all.Exists(p => p.GameId != gameId))
        {
            throw new ArgumentException("Statistics are per game: the profiles belong to several games.", nameof(profiles));
        }

        var scales = new List<FeatureScale>(ProfileFeatures.Numeric.Count);
        var values = new double[all.Count];
        foreach (var feature in ProfileFeatures.Numeric)
        {
            for (var i = 0; i < all.Count; i++)
            {
                values[i] = Transform(feature, feature.Read(all[i]));
            }

            Array.Sort(values);
            var median = Quantile(values, 0.5);
            var scale = Quantile(values, 0.75) - Quantile(values, 0.25) is > 0 and var iqr ? iqr
                : values.Average(v => Math.Abs(v - median)) is > 0 and var deviation ? deviation
                : 1;
            scales.Add(new FeatureScale(feature.Name, median, scale));
        }

        return new PopulationStatistics(gameId, all.Count, scales);
    }

    /// <summary>The robustly scaled value of numeric feature <paramref name="index"/>.</summary>
    public double Scale(int index, double value)
    {
        var scale = Scales[index];
        return Math.Clamp((Transform(ProfileFeatures.Numeric[index], value) - scale.Median) / scale.Scale, -Clip, Clip);
    }

    private static double Transform(ProfileFeature feature, double value) =>
        feature.Logarithmic ? Math.Log(1 + Math.Max(0, value)) : value;

    /// <summary>Linear interpolation between order statistics (the usual "type 7" quantile).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}

/// <summary>Where the latest statistics of each game are kept (a blob or a Cosmos item in Azure).</summary>
public interface IPopulationStatisticsStore
{
    ValueTask<PopulationStatistics?> GetAsync(string gameId, CancellationToken cancellationToken);

    ValueTask SetAsync(PopulationStatistics statistics, CancellationToken cancellationToken);
}

public sealed class InMemoryPopulationStatisticsStore : IPopulationStatisticsStore
{
    private readonly ConcurrentDictionary<string, PopulationStatistics> _byGame = new(StringComparer.Ordinal);

    public ValueTask<PopulationStatistics?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byGame.TryGetValue(gameId, out var statistics) ? statistics : null);

    public ValueTask SetAsync(PopulationStatistics statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        _byGame[statistics.GameId] = statistics;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Turns profiles into vectors with one game's <see cref="PopulationStatistics"/>.</summary>
public sealed class ProfileVectorizer(PopulationStatistics statistics)
{
    /// <summary>Weight of the platform one-hot against the scaled features (kept low: platform says little about play style).</summary>
    public const float PlatformWeight = 0.5f;

    public PopulationStatistics Statistics { get; } = statistics ?? throw new ArgumentNullException(nameof(statistics));

    /// <summary>
    /// The vector of <paramref name="profile"/>: the robustly scaled numeric features in
    /// <see cref="ProfileFeatures.Numeric"/> order, then the weighted platform one-hot.
    /// </summary>
    public float[] Vectorize(PlayerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var numeric = ProfileFeatures.Numeric;
        var vector = new float[ProfileFeatures.VectorLength];
        for (var i = 0; i < numeric.Count; i++)
        {
            vector[i] = (float)Statistics.Scale(i, numeric[i].Read(profile));
        }

        for (var i = 0; i < ProfileFeatures.Platforms.Count; i++)
        {
            vector[numeric.Count + i] = string.Equals(profile.Platform, ProfileFeatures.Platforms[i], StringComparison.Ordinal) ? PlatformWeight : 0;
        }

        return vector;
    }

    /// <summary>The index document of <paramref name="profile"/>.</summary>
    public PlayerDocument ToDocument(PlayerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new PlayerDocument(profile.GameId, profile.UserId, profile.Server, profile.Level, profile.Platform, profile.LastSeen, Vectorize(profile));
    }
}
