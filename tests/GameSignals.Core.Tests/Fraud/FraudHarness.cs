using System.Text.Json;
using System.Text.Json.Nodes;
using GameSignals.Events;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Tests.Fraud;

/// <summary>A fraud stage over in-memory stores with the example's settings, and builders of the events it checks.</summary>
internal sealed class FraudHarness
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private FraudHarness(IIpIntelligence ip)
    {
        Cache = new FraudConfigCache(Configs, Options.Create(new FraudOptions()), Clock, NullLogger<FraudConfigCache>.Instance);
        Stage = new FraudStage(Cache, ip, Sightings, ReceiptUses, Flags, Actions, new StoreRetry(), NullLogger<FraudStage>.Instance);
    }

    public InMemoryFraudConfigStore Configs { get; } = new();

    public InMemoryFlagStore Flags { get; } = new();

    public InMemoryFraudActionPublisher Actions { get; } = new();

    public InMemoryDeviceSightingStore Sightings { get; } = new(TimeSpan.FromDays(1));

    public InMemoryReceiptUseStore ReceiptUses { get; } = new();

    public FakeTimeProvider Clock { get; } = new(T0);

    public FraudConfigCache Cache { get; }

    public FraudStage Stage { get; }

    /// <summary>A harness with every game of the example's <c>fraud.json</c>, each optionally edited as JSON first.</summary>
    public static async Task<FraudHarness> CreateAsync(Action<JsonObject>? edit = null, IIpIntelligence? ip = null)
    {
        var harness = new FraudHarness(ip ?? GameSignals.Core.Tests.IpRanges.ExampleRanges.Table);
        var document = ExampleConfig(edit);
        await harness.Configs.SaveAllAsync(document, CancellationToken.None);
        return harness;
    }

    /// <summary>The example's <c>fraud.json</c>, with <paramref name="edit"/> applied to each game's object.</summary>
    public static FraudConfigDocument ExampleConfig(Action<JsonObject>? edit = null)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Examples, "fraud.json")))!.AsObject();
        foreach (var (_, game) in root["games"]!.AsObject())
        {
            edit?.Invoke(game!.AsObject());
        }

        return FraudConfigLoader.Parse(JsonSerializer.SerializeToUtf8Bytes(root));
    }

    public async Task ProcessAsync(params GameEvent[] events) =>
        await Stage.ProcessAsync(new EventBatch("test", "0", events, TestStates.Fresh("test")), CancellationToken.None);

    public IReadOnlyList<FraudFlag> FlagsFor(string reason) => [.. Flags.All.Where(f => f.Reason == reason)];

    public static GameEvent Login(
        string id, string user, string ip, DateTimeOffset? time = null, string? device = null, string platform = "android",
        string signature = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", string country = "KR", string game = "odin") =>
        Event(id, user, EventTypes.SessionStarted, time ?? T0, game,
            new SessionStarted(ip, device ?? "dev-" + user, platform, "1.4.2", signature, "ko-KR", country));

    public static GameEvent Purchase(
        string id, string user, string orderId, string store = "pc", string product = "gem_100", decimal? price = 1200m,
        string currency = "KRW", string? ip = null, DateTimeOffset? time = null, string? receiptJson = null, string game = "odin") =>
        Event(id, user, EventTypes.PurchaseCompleted, time ?? T0, game,
            new PurchaseCompleted(orderId, store, product, price, currency, "KR", ip,
                receiptJson is null ? default : JsonDocument.Parse(receiptJson).RootElement.Clone()));

    private static GameEvent Event(string id, string user, string type, DateTimeOffset time, string game, EventPayload payload) => new()
    {
        Id = id,
        Source = payload is PurchaseCompleted ? "/billing/" + game : "/games/" + game + "/kr-01",
        Type = type,
        Time = time,
        GameId = game,
        UserId = user,
        Payload = payload,
        Origin = new MessageOrigin("test", "0", 0, "0", null),
    };
}
