using GameSignals.Pipeline.State;
using GameSignals.Events;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Core.Tests.Notifications;

/// <summary>A notification stage over in-memory stores, with the rules given or those of the example stream.</summary>
internal sealed class NotificationHarness
{
    public NotificationHarness(IEnumerable<NotificationRule> rules, INotificationStore? store = null, IPushQueue? push = null, IShadowNotificationStore? shadows = null)
    {
        foreach (var rule in rules)
        {
            RuleStore.UpsertAsync(rule, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        Notifications = store ?? Memory;
        Push = push ?? Queue;
        var options = Options.Create(new NotificationOptions());
        Cache = new RuleCache(RuleStore, options, Time, Metrics, NullLogger<RuleCache>.Instance);
        Delivery = new NotificationDelivery(Notifications, Push, Locales, options, Time, Metrics);
        Stage = new NotificationStage(Cache, Delivery, shadows ?? Shadows, Locales, new StoreRetry(), options, Metrics);
    }

    public static IReadOnlyList<NotificationRule> ExampleRules { get; } = RulesFile.Load(Path.Combine(RepositoryFiles.Examples, "rules.json")).Rules;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public NotificationMetrics Metrics { get; } = new();

    public InMemoryRuleStore RuleStore { get; } = new();

    public InMemoryNotificationStore Memory { get; } = new();

    public InMemoryPushQueue Queue { get; } = new();

    public InMemoryShadowNotificationStore Shadows { get; } = new();

    /// <summary>The partition's state the stage keeps its cooldowns and languages in, across batches.</summary>
    public PartitionState State { get; } = TestStates.Fresh();

    public InMemoryPlayerLocaleStore Locales { get; } = new();

    public INotificationStore Notifications { get; }

    public IPushQueue Push { get; }

    public RuleCache Cache { get; }

    public NotificationDelivery Delivery { get; }

    public NotificationStage Stage { get; }

    public ValueTask RunAsync(params GameEvent[] events) => Stage.ProcessAsync(new EventBatch("game-events", "0", events, State), CancellationToken.None);
}

/// <summary>The sum of what one counter records while it is alive.</summary>
internal sealed class CounterTotal : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
    private long _total;

    public CounterTotal(System.Diagnostics.Metrics.Counter<long> counter)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, counter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);

    public void Dispose() => _listener.Dispose();
}

/// <summary>Builds events for tests.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static int _next;

    public static GameEvent Make(string type, string dataJson, DateTimeOffset? time = null, string userId = "u1", string? characterId = "c1",
        string gameId = "odin", string? id = null, string source = "/games/odin/kr-01")
    {
        var events = new List<GameEvent>();
        var dead = new List<DeadLetter>();
        var envelope = new Dictionary<string, object?>
        {
            ["specversion"] = "1.0",
            ["id"] = id ?? $"e{Interlocked.Increment(ref _next)}",
            ["source"] = source,
            ["type"] = type,
            ["time"] = (time ?? T0).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["gameid"] = gameId,
            ["userid"] = userId,
            ["server"] = "kr-01",
            ["data"] = System.Text.Json.JsonDocument.Parse(dataJson).RootElement,
        };
        if (characterId is not null)
        {
            envelope["characterid"] = characterId;
        }

        var json = System.Text.Json.JsonSerializer.Serialize(envelope);
        EventDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(json), new MessageOrigin("game-events", "0", 1, "1", null), events, dead);
        Assert.True(dead.Count == 0, dead.Count == 0 ? null : $"{dead[0].Reason}: {dead[0].Detail}");
        return events[0];
    }

    public static GameEvent Session(string locale, DateTimeOffset? time = null, string userId = "u1", string gameId = "odin") =>
        Make(EventTypes.SessionStarted, $$"""{"ip":"1.2.3.4","deviceId":"d","platform":"pc","clientVersion":"1","clientSignature":"ab","locale":"{{locale}}","accountCountry":"KR"}""",
            time, userId, null, gameId);
}
