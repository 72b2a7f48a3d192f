using System.Globalization;
using System.Text;
using System.Text.Json;
using GameSignals.Profiles;

namespace GameSignals.Stats;

/// <summary>
/// Where a player stands among their peers, as a stats message shows it: the k asked for, how many peers were compared,
/// each numeric feature's value, the peers' median and the percentile (<see cref="SimilarityService.ComparePeersAsync"/>),
/// and the event time it was computed at.
/// </summary>
public sealed record PeerStanding(int K, int PeerCount, IReadOnlyDictionary<string, FeaturePosition> Features, DateTimeOffset At)
{
    /// <summary>The standing of a comparison.</summary>
    public static PeerStanding Of(PeerComparison comparison, int k, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new PeerStanding(k, comparison.Peers.Count, comparison.Features.ToDictionary(f => f.Feature, StringComparer.Ordinal), at);
    }
}

/// <summary>
/// <c>{peers.k}</c>, or <c>{peers.FEATURE.value}</c>, <c>.median</c>, <c>.percentile</c> for a numeric profile feature
/// (<see cref="ProfileFeatures.Numeric"/>). Values and medians are written with at most one decimal, percentiles as
/// whole numbers, in the invariant culture.
/// </summary>
public sealed record PeerPlaceholder(string? Feature, string Statistic)
{
    private const string Head = "peers";

    public static readonly IReadOnlyList<string> Statistics = ["value", "median", "percentile"];

    /// <summary>Whether a placeholder's text names the peers (then it must parse as one).</summary>
    public static bool Names(string inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var text = inner.Trim();
        return text == Head || text.StartsWith(Head + ".", StringComparison.Ordinal);
    }

    public static bool TryParse(string inner, out PeerPlaceholder? placeholder, out string? cause)
    {
        ArgumentNullException.ThrowIfNull(inner);
        placeholder = null;
        cause = null;
        var parts = inner.Trim().Split('.');
        if (parts is [Head, "k"])
        {
            placeholder = new PeerPlaceholder(null, "k");
            return true;
        }

        if (parts is not [Head, var feature, var statistic])
        {
            cause = "write {peers.k} or {peers.FEATURE.value|median|percentile}";
            return false;
        }

        if (!ProfileFeatures.Numeric.Any(f => f.Name == feature))
        {
            cause = $"'{feature}' is not a profile feature; use one of {string.Join(", ", ProfileFeatures.Numeric.Select(f => f.Name))}";
            return false;
        }

        if (!Statistics.Contains(statistic))
        {
            cause = $"'{statistic}' must be one of {string.Join(", ", Statistics)}";
            return false;
        }

        placeholder = new PeerPlaceholder(feature, statistic);
        return true;
    }

    /// <summary>Appends the statistic; nothing when the standing is unknown or has no peers for the feature.</summary>
    public void AppendTo(StringBuilder builder, PeerStanding? standing)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (standing is null)
        {
            return;
        }

        if (Feature is null)
        {
            builder.Append(standing.K.ToString(CultureInfo.InvariantCulture));
            return;
        }

        if (!standing.Features.TryGetValue(Feature, out var position))
        {
            return;
        }

        var (value, format) = Statistic switch
        {
            "value" => (position.Value, "0.#"),
            "median" => (position.PeerMedian, "0.#"),
            _ => (position.Percentile, "0"),
        };
        if (double.IsFinite(value))
        {
            builder.Append(value.ToString(format, CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// Why a stats notification was sent and what it showed, so support can answer "why did I get this": the moment, the k
/// asked for, how many peers were compared, and per feature the template used the player's value, the peers' median and the
/// percentile, as computed at <see cref="At"/> (event time).
/// </summary>
public sealed record StatsExplanation(string Moment, int K, int Peers, IReadOnlyList<FeaturePosition> Features, DateTimeOffset At)
{
    /// <summary>The explanation of a message on <paramref name="moment"/> that used <paramref name="features"/>.</summary>
    public static StatsExplanation Of(string moment, PeerStanding standing, IEnumerable<string> features)
    {
        ArgumentNullException.ThrowIfNull(standing);
        ArgumentNullException.ThrowIfNull(features);
        var used = features.Distinct(StringComparer.Ordinal).Where(standing.Features.ContainsKey).Select(f => standing.Features[f]).ToList();
        return new StatsExplanation(moment, standing.K, standing.PeerCount, used, standing.At);
    }

    /// <summary>Writes it as replay lines and the admin API show it.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("moment", Moment);
        writer.WriteNumber("k", K);
        writer.WriteNumber("peers", Peers);
        writer.WriteStartArray("features");
        foreach (var feature in Features)
        {
            writer.WriteStartObject();
            writer.WriteString("feature", feature.Feature);
            WriteNumber(writer, "value", feature.Value);
            WriteNumber(writer, "peerMedian", feature.PeerMedian);
            WriteNumber(writer, "percentile", feature.Percentile);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("at", At);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
