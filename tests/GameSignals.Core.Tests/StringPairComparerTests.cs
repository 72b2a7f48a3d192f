namespace GameSignals.Core.Tests;

public sealed class StringPairComparerTests
{
    [Fact]
    public void Pairs_of_equal_text_are_one_key_whatever_their_instances()
    {
        var comparer = StringPairComparer.Instance;
        var player = ("odin", "user-1");
        var again = (new string("odin".AsSpan()), new string("user-1".AsSpan()));
        Assert.True(comparer.Equals(player, again));
        Assert.Equal(comparer.GetHashCode(player), comparer.GetHashCode(again));
    }

    [Theory]
    [InlineData("odin", "user-1", "user-1", "odin")]
    [InlineData("od", "inuser-1", "odin", "user-1")]
    [InlineData("odin", "user-1", "odin", "User-1")]
    [InlineData("odin", "user-1", "odin", "user-1 ")]
    public void Pairs_differing_in_either_item_or_its_order_are_other_keys(string game, string user, string otherGame, string otherUser)
    {
        var players = new HashSet<(string, string)>(StringPairComparer.Instance) { (game, user) };
        Assert.DoesNotContain((otherGame, otherUser), players);
    }
}
