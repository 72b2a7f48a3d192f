using FsCheck.Xunit;
using GameSignals.Events;
using GameSignals.Pipeline.State;

namespace GameSignals.Core.Tests.Pipeline.State;

public sealed class DuplicateWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void A_key_seen_once_is_a_duplicate_the_second_time_and_other_keys_are_not()
    {
        var window = new DuplicateWindow(Day, seed: 7);
        Assert.True(window.Add(new EventKey("game/odin", "e-1"), Start));
        Assert.False(window.Add(new EventKey("game/odin", "e-1"), Start.AddMinutes(5)));
        Assert.True(window.Contains(new EventKey("game/odin", "e-1")));

        // Same characters split differently between source and id are another key.
        Assert.False(window.Contains(new EventKey("game/odi", "ne-1")));
        Assert.True(window.Add(new EventKey("game/odin", "e-2"), Start));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void A_duplicate_just_inside_the_window_is_caught_and_one_past_the_window_and_its_hour_is_not()
    {
        var window = new DuplicateWindow(Day, seed: 7);
        var key = new EventKey("game/odin", "e-1");
        window.Add(key, Start);

        // The partition's newest event is a whole window later, less a tick: still remembered.
        window.Add(new EventKey("game/odin", "later-1"), Start + Day - TimeSpan.FromTicks(1));
        Assert.True(window.Contains(key));

        // Remembered at most an hour past the window (its hourly bucket goes whole).
        window.Add(new EventKey("game/odin", "later-2"), Start + Day + TimeSpan.FromHours(1));
        Assert.False(window.Contains(key));
        Assert.True(window.Add(key, Start + Day + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Over_days_of_keys_with_late_arrivals_exactly_the_keys_whose_hour_is_in_the_window_are_remembered()
    {
        var window = new DuplicateWindow(TimeSpan.FromHours(6), seed: 11);
        var random = new Random(5);
        var added = new List<(EventKey Key, DateTimeOffset Time)>();
        for (var i = 0; i < 20_000; i++)
        {
            // Mostly in order, one in ten up to three hours late.
            var time = Start.AddSeconds(i * 9) - (random.Next(10) == 0 ? TimeSpan.FromMinutes(random.Next(180)) : TimeSpan.Zero);
            var key = new EventKey("game/odin", $"e-{i}");
            if (window.Add(key, time))
            {
                added.Add((key, time));
            }
        }

        var newest = Start.AddSeconds(19_999 * 9);
        var kept = added.Where(a => ((a.Time.UtcTicks / TimeSpan.TicksPerHour) + 1) * TimeSpan.TicksPerHour > (newest - TimeSpan.FromHours(6)).UtcTicks).ToList();
        Assert.InRange(kept.Count, 2_000, added.Count - 10_000); // both sides of the edge are exercised
        Assert.All(added, a => Assert.Equal(kept.Contains(a), window.Contains(a.Key)));
        Assert.Equal(kept.Count, window.Count);

        // A snapshot brings back the same keys, and the restored window goes on forgetting at the same edge.
        var restored = new DuplicateWindow(TimeSpan.FromHours(6), seed: 11);
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                window.WriteSnapshot(writer);
            }

            buffer.Position = 0;
            using var reader = new BinaryReader(buffer);
            restored.ReadSnapshot(reader);
        }

        Assert.Equal(window.Count, restored.Count);
        Assert.All(added, a => Assert.Equal(kept.Contains(a), restored.Contains(a.Key)));
        var later = newest + TimeSpan.FromHours(2);
        foreach (var copy in new[] { window, restored })
        {
            copy.Add(new EventKey("game/odin", "after"), later);
        }

        Assert.All(added, a => Assert.Equal(window.Contains(a.Key), restored.Contains(a.Key)));
        Assert.Equal(window.Count, restored.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void While_sealed_hours_are_rebuilt_every_look_up_answers_as_after(bool rebuildInBackground)
    {
        // Without the background, each rebuild lands only at the next slide: every look-up below meets one in flight.
        var window = new DuplicateWindow(TimeSpan.FromHours(3), seed: 13, rebuildInBackground);
        var random = new Random(8);
        var added = new List<(EventKey Key, long Hour)>();
        var newest = Start;
        for (var i = 0; i < 6_000; i++)
        {
            var time = Start.AddSeconds(i * 6) - (random.Next(8) == 0 ? TimeSpan.FromMinutes(random.Next(150)) : TimeSpan.Zero);
            var key = new EventKey("game/odin", $"e-{i}");
            var newHour = time > newest && time.UtcTicks / TimeSpan.TicksPerHour != newest.UtcTicks / TimeSpan.TicksPerHour;
            newest = time > newest ? time : newest;
            if (window.Add(key, time))
            {
                added.Add((key, time.UtcTicks / TimeSpan.TicksPerHour));
            }

            if (newHour)
            {
                // Right after the slide: a key is remembered while its hour ends after the newest event less the window.
                var edge = (newest - TimeSpan.FromHours(3)).UtcTicks;
                Assert.All(added, a => Assert.Equal((a.Hour + 1) * TimeSpan.TicksPerHour > edge, window.Contains(a.Key)));
            }
        }

        Assert.InRange(added.Count(a => !window.Contains(a.Key)), 3_000, 5_000); // both sides of the edge are exercised
    }

    [Fact]
    public void A_late_event_does_not_move_the_window_back()
    {
        var window = new DuplicateWindow(Day, seed: 7);
        window.Add(new EventKey("s", "new"), Start + TimeSpan.FromDays(3));
        window.Add(new EventKey("s", "late"), Start);
        window.Add(new EventKey("s", "newer"), Start + TimeSpan.FromDays(3) + TimeSpan.FromHours(1));

        Assert.False(window.Contains(new EventKey("s", "late")));
        Assert.True(window.Contains(new EventKey("s", "new")));
    }

    [Fact]
    public void Digests_depend_on_the_seed()
    {
        // The same keys under two seeds: the digests differ, so a collision found under one seed says nothing of another.
        var keys = Enumerable.Range(0, 10_000).Select(i => new EventKey("s", $"e-{i}")).ToList();
        var a = new DuplicateWindow(Day, seed: 1);
        var b = new DuplicateWindow(Day, seed: 2);
        Assert.All(keys, k => Assert.True(a.Add(k, Start)));
        Assert.All(keys, k => Assert.True(b.Add(k, Start)));
        Assert.Equal(10_000, a.Count);
        Assert.Equal(10_000, b.Count);
    }

    [Property(MaxTest = 500)]
    public bool The_sealed_keys_search_finds_exactly_what_a_binary_search_finds(ulong[] keys, ulong[] probes, bool spread)
    {
        // FsCheck's numbers crowd near zero, the worst spread for a search that guesses by value; spread ones are as digests are.
        var sorted = keys.Select(k => spread ? k * 0x9E3779B97F4A7C15UL : k).Distinct().Order().ToArray();
        return probes.Concat(sorted).Concat(sorted.Select(k => k + 1)).All(
            probe => DuplicateWindow.SortedIndexOf(sorted, probe) == Math.Max(Array.BinarySearch(sorted, probe), -1));
    }
}
