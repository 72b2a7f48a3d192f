using GameSignals.Fraud;

namespace GameSignals.Tests.Fraud;

/// <summary>The contract's example stream must give exactly the flags of <c>expected.json</c>, whatever the partition order.</summary>
public sealed class ExampleStreamFraudTests
{
    private static readonly List<(string Reason, string EventId, string UserId)> Expected =
    [
        .. ExampleStream.Expected.RootElement.GetProperty("flags").EnumerateArray()
            .Select(f => (f.GetProperty("reason").GetString()!, f.GetProperty("eventId").GetString()!, f.GetProperty("userId").GetString()!))
            .Order(),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_example_stream_raises_exactly_the_expected_flags_even_with_a_partition_held_back(int? heldBackPartition)
    {
        var harness = await FraudHarness.CreateAsync();

        await ExampleStream.RunAsync([harness.Stage], heldBackPartition: heldBackPartition);

        var raised = harness.Flags.All.Select(f => (f.Reason, f.EventId, f.UserId)).Order().ToList();
        Assert.Equal(Expected, raised);
    }

    [Fact]
    public async Task Every_batch_of_the_example_stream_delivered_twice_raises_the_same_flags_and_publishes_each_block_once()
    {
        var harness = await FraudHarness.CreateAsync();

        // The stage twice in the pipeline: every batch is processed a second time, as after a failure before the ledger write.
        await ExampleStream.RunAsync([harness.Stage, harness.Stage], heldBackPartition: 2);

        var raised = harness.Flags.All.Select(f => (f.Reason, f.EventId, f.UserId)).Order().ToList();
        Assert.Equal(Expected, raised);
        var blocks = harness.Flags.All.Where(f => f.Severity == FlagSeverity.Block).Select(f => f.Id).Order().ToList();
        Assert.Equal(blocks, harness.Actions.Messages.Select(m => m.MessageId).Order().ToList());
        Assert.All(harness.Flags.All.Where(f => f.Severity == FlagSeverity.Block), f => Assert.True(f.ActionPublished));
    }
}
