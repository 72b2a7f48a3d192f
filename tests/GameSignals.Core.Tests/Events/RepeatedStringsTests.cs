using System.Text;
using FsCheck;
using FsCheck.Xunit;
using GameSignals.Events;

namespace GameSignals.Core.Tests.Events;

public sealed class RepeatedStringsTests
{
    [Property(MaxTest = 300)]
    public void Every_value_reads_back_as_its_own_text_however_values_share_slots(NonEmptyArray<NonNegativeInt> picks, PositiveInt length)
    {
        // Many more distinct values than slots, so values evict each other, and long ones beside the kept ones.
        var strings = new RepeatedStrings();
        foreach (var pick in picks.Get)
        {
            var text = $"u-{pick.Get % 50_000:D6}" + new string('x', length.Get % 80);
            Assert.Equal(text, strings.Get(Encoding.ASCII.GetBytes(text)));
        }
    }

    [Fact]
    public void A_value_that_comes_back_is_the_same_string_and_a_different_one_is_not()
    {
        var strings = new RepeatedStrings();
        var first = strings.Get("dev-u-000123"u8);
        Assert.Same(first, strings.Get("dev-u-000123"u8));
        Assert.NotSame(first, strings.Get("dev-u-000124"u8));
        Assert.Equal("dev-u-000124", strings.Get("dev-u-000124"u8));
    }
}
