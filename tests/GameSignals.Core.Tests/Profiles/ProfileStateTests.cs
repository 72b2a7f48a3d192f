using GameSignals.Profiles;
using static GameSignals.Tests.Profiles.ProfileEvents;

namespace GameSignals.Tests.Profiles;

public sealed class ProfileStateTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_part_comes_back_from_a_record_and_a_snapshot_field_for_field_with_its_wait()
    {
        var options = new ProfileOptions();
        var part = ProfileUpdater.Apply(
            PlayerProfile.New("odin", "u1"),
            [Session("ios", TimeSpan.Zero, 1), Pvp("win", TimeSpan.FromMinutes(5), 2), Purchase(10, "USD", TimeSpan.FromMinutes(6), 3)],
            "game-events/0",
            options);
        var state = new ProfileState();
        state.Set(part, Start, Hour);

        var fromRecord = RoundTrip(state.WriteChanges, new ProfileState().ApplyChanges);
        var fromSnapshot = RoundTrip(state.WriteSnapshot, new ProfileState().ReadSnapshot);

        foreach (var restored in new[] { fromRecord, fromSnapshot })
        {
            var back = restored.PartOf("odin", "u1")!;
            Assert.Equal(part with { Applied = back.Applied }, back);
            Assert.Equal(part.Applied, back.Applied);
            Assert.Empty(restored.Due(Start + Hour - TimeSpan.FromTicks(1), Hour));
            Assert.Equal(part, Assert.Single(restored.Due(Start + Hour, Hour)) with { Applied = part.Applied });
        }
    }

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
