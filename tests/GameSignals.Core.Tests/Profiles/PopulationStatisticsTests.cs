using GameSignals.Profiles;

namespace GameSignals.Tests.Profiles;

public sealed class PopulationStatisticsTests
{
    private static PlayerProfile Player(int level, double spend = 0, string game = "odin") =>
        PlayerProfile.New(game, "u" + level + "-" + spend) with { Level = level, Spend = spend };

    private static int IndexOf(string feature) => ProfileFeatures.Numeric.ToList().FindIndex(f => f.Name == feature);

    [Fact]
    public void Features_are_centred_on_the_median_and_divided_by_the_interquartile_range()
    {
        // levels 1..9: median 5, quartiles 3 and 7
        var statistics = PopulationStatistics.Compute(Enumerable.Range(1, 9).Select(l => Player(l)));
        var level = IndexOf("level");

        Assert.Equal(5, statistics.Scales[level].Median);
        Assert.Equal(4, statistics.Scales[level].Scale);
        Assert.Equal(0, statistics.Scale(level, 5));
        Assert.Equal(0.5, statistics.Scale(level, 7));
        Assert.Equal(-1, statistics.Scale(level, 1));
    }

    [Fact]
    public void One_extreme_player_neither_moves_the_scale_nor_exceeds_the_clip()
    {
        var players = Enumerable.Range(1, 9).Select(l => Player(l)).ToList();
        var statistics = PopulationStatistics.Compute(players.Append(Player(10_000)));
        var level = IndexOf("level");

        Assert.InRange(statistics.Scales[level].Scale, 4, 5);
        Assert.Equal(PopulationStatistics.Clip, statistics.Scale(level, 10_000));
        Assert.Equal(-PopulationStatistics.Clip, statistics.Scale(level, -10_000));
    }

    [Fact]
    public void A_feature_most_players_share_falls_back_to_the_mean_absolute_deviation()
    {
        // 8 of 10 never pay: the IQR of spend is 0, yet payers must stand out.
        var players = Enumerable.Range(1, 8).Select(l => Player(l)).Append(Player(9, 100)).Append(Player(10, 100));
        var statistics = PopulationStatistics.Compute(players);
        var spend = IndexOf("spend");

        Assert.Equal(0, statistics.Scales[spend].Median);
        Assert.Equal(0.2 * Math.Log(101), statistics.Scales[spend].Scale, 9);
        Assert.Equal(PopulationStatistics.Clip, statistics.Scale(spend, 100));
        Assert.Equal(0, statistics.Scale(spend, 0));
    }

    [Fact]
    public void Statistics_are_per_game()
    {
        Assert.Throws<ArgumentException>(() => PopulationStatistics.Compute([Player(1), Player(2, game: "ares")]));
        Assert.Throws<ArgumentException>(() => PopulationStatistics.Compute([]));
    }

    [Fact]
    public void A_vector_holds_the_scaled_features_then_the_platform()
    {
        var players = Enumerable.Range(1, 9).Select(l => Player(l)).ToList();
        var vectorizer = new ProfileVectorizer(PopulationStatistics.Compute(players));

        var vector = vectorizer.Vectorize(Player(7) with { Platform = "ios" });

        Assert.Equal(ProfileFeatures.VectorLength, vector.Length);
        Assert.Equal(0.5f, vector[IndexOf("level")]);
        Assert.Equal(ProfileVectorizer.PlatformWeight, vector[ProfileFeatures.Numeric.Count + 1]);
        Assert.Equal(0, vector[ProfileFeatures.Numeric.Count]);
    }
}
