using GameSignals.Core.Tests.Notifications;
using GameSignals.Events;
using GameSignals.Experiments;
using GameSignals.Stats;

namespace GameSignals.Core.Tests.Stats;

public sealed class ExperimentResultsTests
{
    private static readonly ExperimentPolicy Experiment = new("exp", 0.5);

    private static GameEvent Session(string userId, double days) => TestEvents.Session("en-US", TestEvents.T0.AddDays(days), userId);

    private static GameEvent Purchase(string userId, double days) => TestEvents.Make(
        EventTypes.PurchaseCompleted, """{"orderId":"o1","store":"pc","productId":"gem","price":1.99,"currency":"USD"}""", TestEvents.T0.AddDays(days), userId);

    [Fact]
    public void Wilson_intervals_match_the_textbook_values()
    {
        Assert.Equal(new Proportion(5, 10, 0.5, 0.236593, 0.763407), Proportion.Wilson(5, 10));
        Assert.Equal(new Proportion(0, 10, 0, 0, 0.277533), Proportion.Wilson(0, 10));
        Assert.Equal(new Proportion(10, 10, 1, 0.722467, 1), Proportion.Wilson(10, 10));
        Assert.Equal(new Proportion(0, 0, null, null, null), Proportion.Wilson(0, 0));
    }

    [Fact]
    public void Retention_and_conversion_are_counted_per_arm_from_a_hand_made_stream()
    {
        var treated = Enumerable.Range(0, 100).Select(i => $"p{i}").Where(u => ExperimentArms.Of("exp", u, 0.5) == Arm.Treatment).Take(4).ToArray();
        var control = Enumerable.Range(0, 100).Select(i => $"p{i}").Where(u => ExperimentArms.Of("exp", u, 0.5) == Arm.Control).Take(2).ToArray();
        var games = new ExperimentState();
        var payments = new ExperimentState();
        GameEvent[] stream =
        [
            // treated[0]: back on day 1 and day 7. treated[1]: back the same day only, then on day 8 (too late for D7).
            Session(treated[0], 0), Session(treated[0], 1.5), Session(treated[0], 7.2),
            Session(treated[1], 0), Session(treated[1], 0.5), Session(treated[1], 8),
            // treated[2]: first seen on day 6: its day 1 is over by day 9, its day 7 is not.
            Session(treated[2], 6), Session(treated[2], 7.1),
            // control[0]: back on day 1 only; control[1]: never back.
            Session(control[0], 0), Session(control[0], 1.99),
            Session(control[1], 0.2),
            Session("other", 9), // newest event: day 9
        ];
        foreach (var e in stream)
        {
            games.Observe(e, e.UserId == "other" ? null : Experiment);
        }

        // Payments: two treated players and one control player pay; treated[3] pays without a session (not enrolled).
        foreach (var e in new[] { Purchase(treated[0], 2), Purchase(treated[0], 3), Purchase(treated[3], 4), Purchase(control[1], 5) })
        {
            payments.Observe(e, Experiment);
        }

        var partitions = new[] { games, payments }.SelectMany((state, i) => state.Counts().Select(c =>
            new ExperimentPartitionCounts(c.GameId, c.ExperimentId, i == 0 ? "game-events" : "payment-events", "0", c.Treatment, c.Control, state.Newest!.Value))).ToList();
        var results = ExperimentResults.Of("odin", "exp", partitions);

        Assert.Equal(3, results.Treatment.Enrolled);
        Assert.Equal((2L, 3L), (results.Treatment.D1Retention.Count, results.Treatment.D1Retention.Of)); // treated[0], treated[2]
        Assert.Equal((1L, 2L), (results.Treatment.D7Retention.Count, results.Treatment.D7Retention.Of)); // treated[2] not eligible
        Assert.Equal((2L, 3L), (results.Treatment.Conversion.Count, results.Treatment.Conversion.Of));
        Assert.Equal((1L, 2L), (results.Control.D1Retention.Count, results.Control.D1Retention.Of));
        Assert.Equal((0L, 2L), (results.Control.D7Retention.Count, results.Control.D7Retention.Of));
        Assert.Equal((1L, 2L), (results.Control.Conversion.Count, results.Control.Conversion.Of));
        Assert.Equal(Math.Round((2.0 / 3) / 0.5, 6), results.D1Ratio);
        Assert.Null(results.D7Ratio); // the control's D7 rate is 0
        Assert.Equal(Proportion.Wilson(2, 3), results.Treatment.D1Retention);
    }

    [Fact]
    public void The_counts_survive_the_changelog_and_a_snapshot()
    {
        var state = new ExperimentState();
        var treated = Enumerable.Range(0, 100).Select(i => $"p{i}").First(u => ExperimentArms.Of("exp", u, 0.5) == Arm.Treatment);
        foreach (var e in new[] { Session(treated, 0), Session(treated, 1.5), Purchase(treated, 2), Session("x", 3) })
        {
            state.Observe(e, e.UserId == "x" ? null : Experiment);
        }

        var fromChangelog = new ExperimentState();
        fromChangelog.ApplyChanges(Reader(state.WriteChanges));
        var fromSnapshot = new ExperimentState();
        fromSnapshot.ReadSnapshot(Reader(state.WriteSnapshot));

        var expected = new ArmCounts { Enrolled = 1, D1Eligible = 1, D1Returned = 1, Payers = 1 };
        foreach (var restored in new[] { fromChangelog, fromSnapshot })
        {
            var (_, _, treatment, control) = Assert.Single(restored.Counts());
            Assert.Equal((expected, new ArmCounts()), (treatment, control));
            Assert.Equal(TestEvents.T0.AddDays(3), restored.Newest);
        }
    }

    private static BinaryReader Reader(Action<BinaryWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        buffer.Position = 0;
        return new BinaryReader(buffer, System.Text.Encoding.UTF8);
    }
}
