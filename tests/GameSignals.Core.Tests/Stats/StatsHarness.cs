using GameSignals.Core.Tests.Notifications;
using GameSignals.Events;
using GameSignals.Experiments;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using GameSignals.Profiles;
using GameSignals.Stats;
using GameSignals.Tests.Profiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GameSignals.Core.Tests.Stats;

/// <summary>
/// The notification and stats stages over in-memory stores, with a population of forty odin players (twenty fighters,
/// twenty traders) indexed with statistics, and odin's stats settings: k 10, at least 5 peers, 15 minutes of cache, the
/// third death in a zone within 10 minutes.
/// </summary>
internal sealed class StatsHarness
{
    public static readonly NotificationRule DeathsRule = new()
    {
        Id = "stats-deaths",
        GameId = "odin",
        EventType = MomentTypes.DeathsInZone,
        Cooldown = "PT1H",
        Channels = ["push", "inbox"],
        Templates =
        [
            new("en", "Tough spot in {data.zone}", "Players like you play {peers.pvpMatchesPerDay.median} matches a day; you play {peers.pvpMatchesPerDay.value}: more than {peers.pvpMatchesPerDay.percentile}% of them"),
            new("ko", "{data.zone} 고전 중", "비슷한 플레이어 {peers.k}명 중 상위 {peers.pvpMatchesPerDay.percentile}%"),
        ],
    };

    public static readonly NotificationRule QuestRule = new()
    {
        Id = "stats-quest",
        GameId = "odin",
        EventType = MomentTypes.MainQuestCompleted,
        Channels = ["inbox"],
        Templates = [new("en", "Quest done", "Level {peers.level.value}, peers {peers.level.median}")],
    };

    private StatsHarness(NotificationHarness notifications, SimilarityService similarity)
    {
        Notifications = notifications;
        var options = Options.Create(new StatsOptions());
        Cache = new PeersCache(similarity, options, Metrics);
        Stage = new StatsStage(
            new StatsSettingsCache(Settings, options, notifications.Time, NullLogger<StatsSettingsCache>.Instance),
            notifications.Cache, notifications.Delivery, Cache, WouldHaveReceived, new StoreRetry(), Metrics);
    }

    public NotificationHarness Notifications { get; }

    public InMemoryStatsSettingsStore Settings { get; } = new();

    public InMemoryWouldHaveReceivedStore WouldHaveReceived { get; } = new();

    public StatsMetrics Metrics { get; } = new();

    public PeersCache Cache { get; }

    public StatsStage Stage { get; }

    public static GameStatsSettings OdinSettings(ExperimentSettings? experiment = null) => new()
    {
        Peers = new PeersSettings { K = 10, MinPeers = 5, CacheFor = "PT15M" },
        Moments = new MomentsSettings { DeathsInZone = new CountInWindow { Count = 3, Window = "PT10M" } },
        Experiment = experiment,
    };

    public static async Task<StatsHarness> CreateAsync(ExperimentSettings? experiment = null, params NotificationRule[] rules)
    {
        var (store, indexer, similarity) = ExampleStreamSimilarityTests.Build();
        var seen = TestEvents.T0.AddDays(-1);
        for (var i = 0; i < 20; i++)
        {
            var basis = PlayerProfile.New("odin", "") with { Level = 10 + i, FirstSeen = seen, LastSeen = seen, Server = "kr-01", Platform = "pc" };
            await store.CreateAsync(basis with { UserId = $"fighter{i:D2}", PvpMatches = new DecayingSum(30 + i, seen) }, CancellationToken.None);
            await store.CreateAsync(basis with { UserId = $"trader{i:D2}", MarketSales = new DecayingSum(30 + i, seen) }, CancellationToken.None);
        }

        // ares: three players, fewer than the five peers its settings ask for; hel: players but no statistics yet.
        for (var i = 0; i < 3; i++)
        {
            await store.CreateAsync(PlayerProfile.New("ares", $"a{i}") with { Level = i + 1, FirstSeen = seen, LastSeen = seen }, CancellationToken.None);
            await store.CreateAsync(PlayerProfile.New("hel", $"h{i}") with { Level = i + 1, FirstSeen = seen, LastSeen = seen }, CancellationToken.None);
        }

        await indexer.RefreshGameAsync("odin", CancellationToken.None);
        await indexer.RefreshGameAsync("ares", CancellationToken.None);
        var harness = new StatsHarness(new NotificationHarness(rules.Length == 0 ? [DeathsRule, DeathsRule with { GameId = "ares" }, DeathsRule with { GameId = "hel" }] : rules), similarity);
        await harness.Settings.SaveAsync("odin", OdinSettings(experiment), null, CancellationToken.None);
        await harness.Settings.SaveAsync("ares", OdinSettings(), null, CancellationToken.None);
        await harness.Settings.SaveAsync("hel", OdinSettings(), null, CancellationToken.None);
        return harness;
    }

    public static GameEvent Death(string userId, double minutes, string gameId = "odin", string zone = "forest") =>
        TestEvents.Make(EventTypes.CharacterDied, $$"""{"zone":"{{zone}}","cause":"monster"}""", TestEvents.T0.AddMinutes(minutes), userId, gameId: gameId,
            id: $"{userId}-death-{minutes}");

    /// <summary>Both stages over the batch, on <paramref name="state"/> (the harness's own by default), as the pipeline runs them.</summary>
    public async Task RunAsync(GameEvent[] events, PartitionState? state = null)
    {
        var batch = new EventBatch("game-events", "0", events, state ?? Notifications.State);
        await Notifications.Stage.ProcessAsync(batch, CancellationToken.None);
        await Stage.ProcessAsync(batch, CancellationToken.None);
    }

    /// <summary>A fighter in the arm asked for under <paramref name="experimentId"/> at a share of one half.</summary>
    public static string FighterIn(Arm arm, string experimentId) =>
        Enumerable.Range(0, 20).Select(i => $"fighter{i:D2}").First(u => ExperimentArms.Of(experimentId, u, 0.5) == arm);
}
