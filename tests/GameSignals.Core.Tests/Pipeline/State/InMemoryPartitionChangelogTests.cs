using System.Text;
using GameSignals.Pipeline.State;

namespace GameSignals.Core.Tests.Pipeline.State;

public sealed class InMemoryPartitionChangelogTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Records_come_back_in_order_and_a_second_owner_that_saw_an_older_position_is_fenced()
    {
        var changelog = new InMemoryPartitionChangelog();
        var first = await changelog.AppendAsync("game-events", "3", Bytes("batch 1"), ChangelogPosition.Empty, None);

        // Two owners load the same state; the first to append wins, the other is fenced and writes nothing.
        var seen = (await changelog.ReadAsync("game-events", "3", None)).Next;
        Assert.Equal(first, seen);
        await changelog.AppendAsync("game-events", "3", Bytes("batch 2 by A"), seen, None);
        await Assert.ThrowsAsync<ChangelogFencedException>(() => changelog.AppendAsync("game-events", "3", Bytes("batch 2 by B"), seen, None).AsTask());

        var read = await changelog.ReadAsync("game-events", "3", None);
        Assert.Equal(["batch 1", "batch 2 by A"], read.Records.Select(Text));
        Assert.Null(read.DamagedAt);
        Assert.Empty((await changelog.ReadAsync("game-events", "4", None)).Records);
    }

    [Fact]
    public async Task A_truncated_or_corrupt_record_is_reported_with_the_good_records_before_it()
    {
        var changelog = new InMemoryPartitionChangelog();
        var position = await changelog.AppendAsync("h", "0", Bytes("one"), ChangelogPosition.Empty, None);
        var second = await changelog.AppendAsync("h", "0", Bytes("two"), position, None);
        await changelog.AppendAsync("h", "0", Bytes("three"), second, None);

        // A flipped bit in the second record: only the first is used, and the damage is where the second starts.
        var bytes = changelog.BytesOf("h", "0");
        bytes[(int)position.Length + 5] ^= 0x10;
        var read = await changelog.ReadAsync("h", "0", None);
        Assert.Equal(["one"], read.Records.Select(Text));
        Assert.Equal(position.Length, read.DamagedAt);

        // Cut in the middle of the second record (a crash during the append).
        bytes[(int)position.Length + 5] ^= 0x10;
        bytes.RemoveRange((int)position.Length + 6, bytes.Count - (int)position.Length - 6);
        read = await changelog.ReadAsync("h", "0", None);
        Assert.Equal(["one"], read.Records.Select(Text));
        Assert.Equal(position.Length, read.DamagedAt);
    }

    [Fact]
    public void Framing_round_trips_empty_and_large_records()
    {
        var large = new byte[100_000];
        new Random(3).NextBytes(large);
        var log = ChangelogFraming.Frame([]).Concat(ChangelogFraming.Frame(large)).ToArray();
        var (records, damagedAt) = ChangelogFraming.Parse(log);
        Assert.Null(damagedAt);
        Assert.Equal(2, records.Count);
        Assert.Empty(records[0].ToArray());
        Assert.Equal(large, records[1].ToArray());

        // A length that runs past the end is damage, not an exception.
        log[ChangelogFraming.Frame([]).Length] = 0xFF;
        Assert.Equal(ChangelogFraming.Frame([]).Length, ChangelogFraming.Parse(log).DamagedAt);
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> record) => Encoding.UTF8.GetString(record.Span);
}
