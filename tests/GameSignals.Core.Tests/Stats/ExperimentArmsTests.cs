using GameSignals.Experiments;

namespace GameSignals.Core.Tests.Stats;

public sealed class ExperimentArmsTests
{
    private static readonly string[] Players = [.. Enumerable.Range(0, 20_000).Select(i => $"u{i}")];

    [Fact]
    public void A_players_arm_is_the_same_every_time_and_depends_on_the_experiment()
    {
        var first = Players.Select(u => ExperimentArms.Of("exp-a", u, 0.5)).ToList();

        Assert.Equal(first, Players.Select(u => ExperimentArms.Of("exp-a", u, 0.5)));
        var other = Players.Select(u => ExperimentArms.Of("exp-b", u, 0.5)).ToList();
        Assert.InRange(first.Zip(other).Count(p => p.First != p.Second), 9_000, 11_000); // reshuffled, not copied
    }

    [Fact]
    public void The_bucket_is_a_fixed_function_of_experiment_and_player()
    {
        // Pinned values: the arm must not change between versions, instances or replays.
        Assert.Equal(0.9821992780572758, ExperimentArms.Bucket("exp-a", "u1"), 15);
        Assert.Equal(Arm.Control, ExperimentArms.Of("exp-a", "u1", 0.98));
        Assert.Equal(Arm.Treatment, ExperimentArms.Of("exp-a", "u1", 0.99));
        Assert.NotEqual(ExperimentArms.Bucket("exp-a", "u1"), ExperimentArms.Bucket("exp-a1", "u")); // the lengths keep the two apart
        Assert.InRange(ExperimentArms.Bucket("exp-a", "u1"), 0, 1);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void The_treatment_share_is_the_share_of_players_treated(double share)
    {
        var treated = Players.Count(u => ExperimentArms.Of("exp-a", u, share) == Arm.Treatment);

        // Binomial: within five standard deviations of the share.
        var sd = Math.Sqrt(Players.Length * share * (1 - share));
        Assert.InRange(treated, (Players.Length * share) - (5 * sd) - 0.5, (Players.Length * share) + (5 * sd) + 0.5);
    }
}
