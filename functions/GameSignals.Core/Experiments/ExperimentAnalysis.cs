namespace GameSignals.Experiments;

/// <summary>
/// What one partition (or the sum of all) counted for one arm: players enrolled (a first session start seen), those whose
/// D1 and D7 days have passed in event time (eligible) and those who came back on that day (returned), and paying players.
/// </summary>
public sealed record ArmCounts
{
    public long Enrolled { get; init; }

    public long D1Eligible { get; init; }

    public long D1Returned { get; init; }

    public long D7Eligible { get; init; }

    public long D7Returned { get; init; }

    public long Payers { get; init; }

    public static ArmCounts operator +(ArmCounts a, ArmCounts b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new ArmCounts
        {
            Enrolled = a.Enrolled + b.Enrolled,
            D1Eligible = a.D1Eligible + b.D1Eligible,
            D1Returned = a.D1Returned + b.D1Returned,
            D7Eligible = a.D7Eligible + b.D7Eligible,
            D7Returned = a.D7Returned + b.D7Returned,
            Payers = a.Payers + b.Payers,
        };
    }

    public static ArmCounts Add(ArmCounts a, ArmCounts b) => a + b;
}

/// <summary>A proportion with its Wilson score 95% interval (null bounds when the denominator is 0).</summary>
public sealed record Proportion(long Count, long Of, double? Rate, double? Low, double? High)
{
    private const double Z = 1.959963984540054; // the 97.5th percentile of the normal distribution

    /// <summary>
    /// <paramref name="count"/> of <paramref name="of"/> with the Wilson score interval, which stays inside [0, 1] and
    /// behaves at small counts and at 0% or 100%, where the normal approximation does not.
    /// </summary>
    public static Proportion Wilson(long count, long of)
    {
        if (of <= 0)
        {
            return new Proportion(count, of, null, null, null);
        }

        var n = (double)of;
        var p = Math.Min(1, (double)count / n);
        var z2 = Z * Z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = Z / denominator * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return new Proportion(count, of, Math.Round(p, 6), Math.Round(Math.Max(0, centre - half), 6), Math.Round(Math.Min(1, centre + half), 6));
    }
}

/// <summary>One arm's results: retention D1 and D7 among eligible players, conversion to paying among enrolled players.</summary>
public sealed record ArmResults(string Arm, long Enrolled, Proportion D1Retention, Proportion D7Retention, Proportion Conversion)
{
    public static ArmResults Of(Arm arm, ArmCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new ArmResults(
            ExperimentArms.Name(arm), counts.Enrolled,
            Proportion.Wilson(counts.D1Returned, counts.D1Eligible),
            Proportion.Wilson(counts.D7Returned, counts.D7Eligible),
            Proportion.Wilson(counts.Payers, counts.Enrolled));
    }
}

/// <summary>
/// An experiment's results, summed over every partition of both hubs: each arm, and the ratio of the treatment's rates to
/// the control's (the origin measured D7 retention at about 1.8x).
/// </summary>
public sealed record ExperimentResults(
    string GameId, string ExperimentId, ArmResults Treatment, ArmResults Control, double? D1Ratio, double? D7Ratio, double? ConversionRatio, DateTimeOffset? AsOf, int Partitions)
{
    /// <summary>The sum of the partitions' counts.</summary>
    public static ExperimentResults Of(string gameId, string experimentId, IReadOnlyCollection<ExperimentPartitionCounts> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var treatment = partitions.Select(p => p.Treatment).Aggregate(new ArmCounts(), ArmCounts.Add);
        var control = partitions.Select(p => p.Control).Aggregate(new ArmCounts(), ArmCounts.Add);
        var t = ArmResults.Of(Arm.Treatment, treatment);
        var c = ArmResults.Of(Arm.Control, control);
        return new ExperimentResults(
            gameId, experimentId, t, c,
            Ratio(t.D1Retention, c.D1Retention), Ratio(t.D7Retention, c.D7Retention), Ratio(t.Conversion, c.Conversion),
            partitions.Count == 0 ? null : partitions.Min(p => p.AsOf), partitions.Count);
    }

    private static double? Ratio(Proportion treatment, Proportion control) =>
        treatment.Of > 0 && control.Of > 0 && control.Count > 0
            ? Math.Round((double)treatment.Count / treatment.Of / ((double)control.Count / control.Of), 6)
            : null;
}

/// <summary>
/// What one partition of one hub counted for one experiment, as of its newest event time: the small aggregate it writes
/// outward (one document per experiment, hub and partition), which the admin API sums.
/// </summary>
public sealed record ExperimentPartitionCounts(string GameId, string ExperimentId, string Hub, string Partition, ArmCounts Treatment, ArmCounts Control, DateTimeOffset AsOf)
{
    /// <summary>The document id: one per experiment, hub and partition.</summary>
    public string Id => $"{ExperimentId}|{Hub}|{Partition}";
}
