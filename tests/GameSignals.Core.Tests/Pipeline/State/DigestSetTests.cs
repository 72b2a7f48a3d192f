using FsCheck.Xunit;
using GameSignals.Pipeline.State;

namespace GameSignals.Core.Tests.Pipeline.State;

public sealed class DigestSetTests
{
    [Property(MaxTest = 300)]
    public bool Adds_and_lookups_answer_as_a_hash_set_does(ulong[] added, ulong[] probes, byte crowding, int capacity)
    {
        // Shifted left, FsCheck's small numbers share their low bits: long runs of slots, wrapping round the array's end.
        var shift = crowding % 40;
        var digests = added.Select(d => d << shift).Append(0UL).ToArray();
        var set = new DigestSet(Math.Abs(capacity % 64));
        var expected = new HashSet<ulong>();
        foreach (var digest in digests)
        {
            if (set.Add(digest) != expected.Add(digest))
            {
                return false;
            }
        }

        var copied = new ulong[set.Count];
        set.CopyTo(copied);
        return set.Count == expected.Count
            && expected.SetEquals(copied)
            && probes.Select(p => p << shift).Concat(digests).Concat(digests.Select(d => d + 1)).All(p => set.Contains(p) == expected.Contains(p));
    }

    [Fact]
    public void Zero_is_a_digest_like_any_other()
    {
        var set = new DigestSet();
        Assert.False(set.Contains(0));
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        Assert.True(set.Contains(0));
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void A_set_grows_past_its_capacity_and_keeps_every_digest()
    {
        var set = new DigestSet(capacity: 4);
        var digests = Enumerable.Range(1, 100_000).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).ToArray();
        Assert.All(digests, d => Assert.True(set.Add(d)));
        Assert.Equal(digests.Length, set.Count);
        Assert.All(digests, d => Assert.True(set.Contains(d)));
        Assert.False(set.Contains(unchecked(0x9E3779B97F4A7C15UL * 100_001)));

        var restored = new DigestSet(digests);
        Assert.Equal(digests.Length, restored.Count);
        Assert.All(digests, d => Assert.True(restored.Contains(d)));
    }
}
