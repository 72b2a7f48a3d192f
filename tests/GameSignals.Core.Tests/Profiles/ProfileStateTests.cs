using GameSignals.Events;
using GameSignals.Profiles;
using static GameSignals.Tests.Profiles.ProfileEvents;

namespace GameSignals.Tests.Profiles;

public sealed class ProfileStateTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_part_comes_back_from_its_records_of_facts_and_from_a_snapshot_field_for_field_with_its_wait()
    {
        var options = new ProfileOptions();
        const string Position = "game-events/0";
        GameEvent[][] batches =
        [
            [Session("ios", TimeSpan.Zero, 1), Pvp("win", TimeSpan.FromMinutes(5), 2)],
            [Purchase(10, "USD", TimeSpan.FromMinutes(6), 3), SessionEnd(600, TimeSpan.FromMinutes(7), 4), Pvp("draw", TimeSpan.FromMinutes(8), 4)],
        ];
        var live = new ProfileState();
        var restored = new ProfileState();
        live.Hold(PlayerProfile.New("odin", "u1"), Start, Hour);
        Copy(live, restored);
        foreach (var batch in batches)
        {
            var facts = new List<ProfileFact>();
            var last = ProfileUpdater.NewFacts(live.PlayerOf("odin", "u1")!.AppliedAt(Position), batch, options, facts);
            live.Fold(live.PlayerOf("odin", "u1")!, facts, Position, last, batch[^1].Time, Hour);
            Copy(live, restored);
        }

        var expected = ProfileUpdater.Apply(PlayerProfile.New("odin", "u1"), [.. batches.SelectMany(b => b)], Position, options);
        Assert.Equal(1, expected.Purchases);
        var fromSnapshot = RoundTrip(live.WriteSnapshot, new ProfileState().ReadSnapshot);
        foreach (var state in new[] { live, restored, fromSnapshot })
        {
            var back = state.PlayerOf("odin", "u1")?.Part!;
            Assert.Equal(expected with { Applied = back.Applied }, back);
            Assert.Equal(expected.Applied, back.Applied);
            Assert.Empty(state.Due(Start + Hour - TimeSpan.FromTicks(1), Hour));
            Assert.Equal(expected, Assert.Single(state.Due(Start + Hour, Hour)) with { Applied = expected.Applied });
        }
    }

    [Fact]
    public void Facts_for_a_player_the_state_does_not_hold_are_refused_as_damage()
    {
        var live = new ProfileState();
        live.Hold(PlayerProfile.New("odin", "u1"), Start, Hour);
        _ = RoundTrip(live.WriteChanges, new ProfileState().ApplyChanges);
        var facts = new List<ProfileFact>();
        var last = ProfileUpdater.NewFacts(live.PlayerOf("odin", "u1")!.AppliedAt("game-events/0"), [Session("ios", TimeSpan.Zero, 1)], new ProfileOptions(), facts);
        live.Fold(live.PlayerOf("odin", "u1")!, facts, "game-events/0", last, Start, Hour);

        Assert.Throws<InvalidDataException>(() => RoundTrip(live.WriteChanges, new ProfileState().ApplyChanges));
    }

    [Fact]
    public void A_forgotten_player_is_forgotten_by_a_state_recovered_from_the_records_and_only_once_written_and_idle()
    {
        var live = new ProfileState();
        var restored = new ProfileState();
        var u1 = PlayerProfile.New("odin", "u1") with { LastSeen = Start };
        var u2 = PlayerProfile.New("odin", "u2") with { LastSeen = Start };
        live.Hold(u1, Start, Hour);
        live.Hold(u2, Start, Hour);
        Copy(live, restored);
        live.Materialized(live.PlayerOf("odin", "u1")?.Part!, Hour);

        Assert.Equal(0, live.Evict(Start + Hour - TimeSpan.FromTicks(1), Hour));
        Assert.Equal(1, live.Evict(Start + Hour, Hour));
        Copy(live, restored);

        foreach (var state in new[] { live, restored })
        {
            Assert.Null(state.PlayerOf("odin", "u1")?.Part);
            Assert.NotNull(state.PlayerOf("odin", "u2")?.Part); // never written: its changes are only here
        }
    }

    /// <summary>The live state's changes since the last call, applied to <paramref name="target"/> as recovery applies a record.</summary>
    private static void Copy(ProfileState live, ProfileState target) => RoundTrip(live.WriteChanges, target.ApplyChanges);

    private static ProfileState RoundTrip(Action<BinaryWriter> write, Action<BinaryReader> read)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        var target = (ProfileState)read.Target!;
        read(reader);
        return target;
    }
}
