using System.Globalization;
using System.Text;
using GameSignals.Cli.Replay;
using GameSignals.Events;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Cli.Tests;

/// <summary>
/// Exactly-once in replay's composition: a partition batch delivered twice, including after a failure
/// that left the stages' effects written but not the ledger, has the effect of one delivery.
/// </summary>
public sealed class RedeliveryTests
{
    /// <summary>The first partition-0 batch of the example stream, as the host would deliver it.</summary>
    private static List<GameEvent> FirstBatch()
    {
        var events = new List<GameEvent>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(ExampleReplayFixture.EventsPath).Take(2000))
        {
            lineNumber++;
            var origin = new MessageOrigin(ReplayRunner.GameHub, "0", lineNumber, string.Create(CultureInfo.InvariantCulture, $"events.jsonl:{lineNumber}"), null);
            var decoded = new List<GameEvent>();
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), origin, decoded, new List<DeadLetter>());
            events.AddRange(decoded.Where(e => !e.IsPayment && Partitioning.PartitionFor(e.UserId, 4) == 0));
        }

        return [.. events.DistinctBy(e => e.Key).Take(100)];
    }

    /// <summary>Every registered replay output, as written after processing.</summary>
    private static async Task<Dictionary<string, string>> OutputsAsync(ServiceProvider services)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in services.GetServices<IReplayOutput>())
        {
            using var stream = new MemoryStream();
            await output.WriteAsync(stream, CancellationToken.None);
            outputs[output.FileName] = Encoding.UTF8.GetString(stream.ToArray());
        }

        return outputs;
    }

    /// <summary>Shadow rules beside the examples' rules: a candidate for low-hp-auto, and a new rule tried on every session start.</summary>
    private static readonly NotificationRule[] ShadowRules =
    [
        new()
        {
            Id = "low-hp-v2", GameId = "odin", EventType = EventTypes.HpChanged, Condition = "data.hp * 3 < data.maxHp", Cooldown = "PT5M", CooldownKey = "characterid",
            State = "shadow", ShadowOf = "low-hp-auto", Channels = ["push", "inbox"], Templates = [new("en", "HP low", "{characterid} {data.hp}")],
        },
        new()
        {
            Id = "welcome", GameId = "odin", EventType = EventTypes.SessionStarted, Cooldown = "PT1H", State = "shadow",
            Channels = ["inbox"], Templates = [new("en", "Welcome back", "{userid}")],
        },
    ];

    private static ServiceProvider Compose(Action<IServiceCollection>? overrides = null, IEnumerable<NotificationRule>? extraRules = null)
    {
        var stores = ReplayStores.Load(ReplayConfiguration.Load(RepositoryFiles.Examples), withStages: true, ReplayComposition.DefaultDuplicateWindow);
        foreach (var rule in extraRules ?? [])
        {
            stores.Rules.UpsertAsync(rule, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return ReplayComposition.Build(stores, withStages: true, overrides: overrides);
    }

    [Fact]
    public async Task The_same_partition_batch_processed_twice_changes_nothing()
    {
        var batch = FirstBatch();
        using var once = Compose();
        await once.GetRequiredService<EventPipeline>().ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);
        using var twice = Compose();
        var pipeline = twice.GetRequiredService<EventPipeline>();
        await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);

        var again = await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);

        Assert.Equal((0, batch.Count), (again.Processed, again.Redelivered));
        Assert.Equal(await OutputsAsync(once), await OutputsAsync(twice));
        Assert.Equal(batch.Count, await RememberedAsync(twice.GetRequiredService<IPartitionStateStore>()));
    }

    [Fact]
    public async Task A_batch_redelivered_after_failing_before_its_changelog_append_has_the_effect_of_one_delivery()
    {
        var batch = FirstBatch();
        using var once = Compose();
        await once.GetRequiredService<EventPipeline>().ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);
        var state = new InMemoryPartitionStateStore();
        using var retried = Compose(services => services.AddSingleton<IPartitionStateStore>(new AppendFailingOnceStore(state)));
        var pipeline = retried.GetRequiredService<EventPipeline>();

        await Assert.ThrowsAsync<IOException>(async () => await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None));
        var redelivered = await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);

        Assert.Equal(batch.Count, redelivered.Processed);
        Assert.Equal(await OutputsAsync(once), await OutputsAsync(retried));
        Assert.Equal(batch.Count, await RememberedAsync(state));
    }

    [Fact]
    public async Task A_batch_that_fired_shadow_rules_redelivered_records_nothing_twice()
    {
        var batch = FirstBatch();
        using var once = Compose(extraRules: ShadowRules);
        await once.GetRequiredService<EventPipeline>().ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);
        using var retried = Compose(services => services.AddSingleton<IPartitionStateStore>(new AppendFailingOnceStore(new InMemoryPartitionStateStore())), ShadowRules);
        var pipeline = retried.GetRequiredService<EventPipeline>();

        await Assert.ThrowsAsync<IOException>(async () => await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None));
        await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);
        var again = await pipeline.ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);

        var outputs = await OutputsAsync(retried);
        Assert.Equal(batch.Count, again.Redelivered);
        Assert.Equal(await OutputsAsync(once), outputs);
        var shadow = outputs["shadow-notifications.jsonl"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(shadow, line => line.Contains("\"ruleId\":\"welcome\"", StringComparison.Ordinal));
        Assert.Equal(shadow.Length, shadow.Distinct(StringComparer.Ordinal).Count());

        // Shadow rules change nothing players get.
        Assert.Equal(await NotificationsWithoutShadowRulesAsync(batch), outputs["notifications.jsonl"]);
    }

    private static async Task<string> NotificationsWithoutShadowRulesAsync(List<GameEvent> batch)
    {
        using var plain = Compose();
        await plain.GetRequiredService<EventPipeline>().ProcessDecodedAsync(ReplayRunner.GameHub, "0", batch, [], CancellationToken.None);
        return (await OutputsAsync(plain))["notifications.jsonl"];
    }

    /// <summary>How many event keys game-events partition 0's durable state remembers, as a new owner loads it.</summary>
    private static async Task<int> RememberedAsync(IPartitionStateStore store) =>
        (await TestStates.Over(store).AcquireAsync(ReplayRunner.GameHub, "0", CancellationToken.None)).Window.Count;
}
