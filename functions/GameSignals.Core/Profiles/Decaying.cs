namespace GameSignals.Profiles;

/// <summary>
/// A sum whose terms lose half their weight every half-life of EVENT time:
/// <c>value(T) = Σ xᵢ · 2^(-(T - tᵢ) / halfLife)</c>. The decay comes from the elapsed time, not from the
/// number of events, and adding in any order gives the same value (a late payment event still counts with
/// the weight its own time gives it).
/// </summary>
public readonly record struct DecayingSum(double Value, DateTimeOffset At)
{
    /// <summary>The weight left after <paramref name="elapsed"/>: 1 at zero, 0.5 after one half-life.</summary>
    public static double DecayFactor(TimeSpan elapsed, TimeSpan halfLife) => double.Exp2(-elapsed / halfLife);

    public DecayingSum Add(double amount, DateTimeOffset time, TimeSpan halfLife) =>
        time >= At
            ? new DecayingSum((Value * DecayFactor(time - At, halfLife)) + amount, time)
            : new DecayingSum(Value + (amount * DecayFactor(At - time, halfLife)), At);

    /// <summary>
    /// The sum of both sums' terms: the sum is linear in its terms, so adding a part folded apart equals folding its
    /// terms in one by one (up to rounding).
    /// </summary>
    public DecayingSum Plus(DecayingSum other, TimeSpan halfLife) =>
        other.At >= At
            ? new DecayingSum((Value * DecayFactor(other.At - At, halfLife)) + other.Value, other.At)
            : new DecayingSum(Value + (other.Value * DecayFactor(At - other.At, halfLife)), At);

    /// <summary>The sum as it stands at <paramref name="time"/> (no later than <see cref="At"/> gives the stored value).</summary>
    public double ValueAt(DateTimeOffset time, TimeSpan halfLife) =>
        time <= At ? Value : Value * DecayFactor(time - At, halfLife);
}

/// <summary>
/// An exponentially weighted mean in event time: each observation's weight halves every half-life,
/// so one observation an hour old counts as much as a hundred of the same age.
/// The mean needs no evaluation time: numerator and denominator decay alike.
/// </summary>
public readonly record struct DecayingMean(DecayingSum Weighted, DecayingSum Weight)
{
    public DecayingMean Add(double value, DateTimeOffset time, TimeSpan halfLife) =>
        new(Weighted.Add(value, time, halfLife), Weight.Add(1, time, halfLife));

    /// <summary>The mean of both means' observations.</summary>
    public DecayingMean Plus(DecayingMean other, TimeSpan halfLife) =>
        new(Weighted.Plus(other.Weighted, halfLife), Weight.Plus(other.Weight, halfLife));

    /// <summary>The mean, or <paramref name="empty"/> before any observation.</summary>
    public double MeanOr(double empty, TimeSpan halfLife) =>
        Weight.Value <= 0 ? empty : Weighted.ValueAt(Weight.At, halfLife) / Weight.Value;

    /// <summary>
    /// The mean pulled towards <paramref name="prior"/> as if <paramref name="priorWeight"/> observations of it
    /// had been made now: one lucky match is not a 100% win rate.
    /// </summary>
    public double Smoothed(double prior, double priorWeight, TimeSpan halfLife) =>
        (Weighted.ValueAt(Weight.At, halfLife) + (prior * priorWeight)) / (Weight.Value + priorWeight);
}
