using GameSignals.Profiles;

namespace GameSignals.Tests.Profiles;

public sealed class DecayingTests
{
    private static readonly TimeSpan HalfLife = TimeSpan.FromDays(7);
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void After_one_half_life_an_events_weight_is_half()
    {
        var sum = default(DecayingSum).Add(1, T0, HalfLife);

        Assert.Equal(0.5, sum.ValueAt(T0 + HalfLife, HalfLife), 12);
        Assert.Equal(0.25, sum.ValueAt(T0 + (2 * HalfLife), HalfLife), 12);
        Assert.Equal(1, sum.ValueAt(T0, HalfLife), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void The_decay_depends_on_elapsed_event_time_not_on_the_number_of_events_between(int eventsBetween)
    {
        var sum = default(DecayingSum).Add(1, T0, HalfLife);
        for (var i = 1; i <= eventsBetween; i++)
        {
            sum = sum.Add(0, T0 + (HalfLife * i / (eventsBetween + 1)), HalfLife);
        }

        Assert.Equal(0.5, sum.ValueAt(T0 + HalfLife, HalfLife), 12);
    }

    [Fact]
    public void A_weighted_mean_gives_an_observation_one_half_life_old_half_the_weight_of_a_fresh_one()
    {
        var mean = default(DecayingMean).Add(1, T0, HalfLife).Add(0, T0 + HalfLife, HalfLife);

        // weights 0.5 (old, value 1) and 1 (fresh, value 0)
        Assert.Equal(0.5 / 1.5, mean.MeanOr(double.NaN, HalfLife), 12);
    }

    [Fact]
    public void Events_added_out_of_order_give_the_same_sum_as_in_order()
    {
        var random = new Random(7);
        var events = Enumerable.Range(0, 50).Select(_ => (Amount: random.NextDouble() * 10, At: T0 + TimeSpan.FromHours(random.Next(0, 24 * 30)))).ToList();
        var end = T0 + TimeSpan.FromDays(31);

        var inOrder = events.OrderBy(e => e.At).Aggregate(default(DecayingSum), (s, e) => s.Add(e.Amount, e.At, HalfLife));
        var shuffled = events.OrderBy(_ => random.Next()).Aggregate(default(DecayingSum), (s, e) => s.Add(e.Amount, e.At, HalfLife));
        var direct = events.Sum(e => e.Amount * Math.Pow(0.5, (end - e.At) / HalfLife));

        Assert.Equal(direct, inOrder.ValueAt(end, HalfLife), 9);
        Assert.Equal(direct, shuffled.ValueAt(end, HalfLife), 9);
    }

    [Fact]
    public void A_smoothed_mean_of_one_observation_stays_near_the_prior()
    {
        var oneWin = default(DecayingMean).Add(1, T0, HalfLife);

        Assert.Equal((1 + (0.5 * 2)) / 3, oneWin.Smoothed(0.5, 2, HalfLife), 12);
        Assert.Equal(0.5, default(DecayingMean).Smoothed(0.5, 2, HalfLife), 12);
    }
}
