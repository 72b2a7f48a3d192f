using System.Text.Json;
using GameSignals.Fraud;

namespace GameSignals.Cli.Replay.Faults;

internal sealed class FaultyFlagStore(IFlagStore inner, FaultInjector faults) : FaultyStore(faults), IFlagStore
{
    public ValueTask<bool> CreateAsync(FraudFlag flag, CancellationToken cancellationToken) =>
        Conditional("flag create", () => inner.CreateAsync(flag, cancellationToken), created => created, _ => false);

    public ValueTask<FraudFlag?> GetAsync(string gameId, string id, CancellationToken cancellationToken) =>
        Read("flag read", () => inner.GetAsync(gameId, id, cancellationToken));

    public ValueTask<FlagPage> QueryAsync(FlagQuery query, CancellationToken cancellationToken) =>
        Read("flag query", () => inner.QueryAsync(query, cancellationToken));

    public ValueTask<FraudFlag?> ReviewAsync(string gameId, string id, FlagReview review, CancellationToken cancellationToken) =>
        Write("flag review", () => inner.ReviewAsync(gameId, id, review, cancellationToken));

    public ValueTask MarkActionPublishedAsync(string gameId, string id, CancellationToken cancellationToken) =>
        Write("flag mark published", () => inner.MarkActionPublishedAsync(gameId, id, cancellationToken));

    public ValueTask ReplaceEvidenceAsync(string gameId, string id, JsonElement evidence, Func<JsonElement, JsonElement, bool> supersedes, CancellationToken cancellationToken) =>
        Write("flag evidence replace", () => inner.ReplaceEvidenceAsync(gameId, id, evidence, supersedes, cancellationToken));
}

internal sealed class FaultyFraudActionPublisher(IFraudActionPublisher inner, FaultInjector faults) : FaultyStore(faults), IFraudActionPublisher
{
    public ValueTask PublishAsync(FraudFlag flag, CancellationToken cancellationToken) =>
        Write("fraud action publish", () => inner.PublishAsync(flag, cancellationToken));
}

internal sealed class FaultyDeviceSightingStore(IDeviceSightingStore inner, FaultInjector faults) : FaultyStore(faults), IDeviceSightingStore
{
    public ValueTask AddAsync(string gameId, string ipBucket, DeviceSighting sighting, TimeSpan near, List<DeviceSighting> window, CancellationToken cancellationToken) =>
        Write("sighting add", () => inner.AddAsync(gameId, ipBucket, sighting, near, window, cancellationToken));
}

internal sealed class FaultyReceiptUseStore(IReceiptUseStore inner, FaultInjector faults) : FaultyStore(faults), IReceiptUseStore
{
    public ValueTask<ReceiptUses?> GetAsync(string store, string orderId, CancellationToken cancellationToken) =>
        Read("receipt read", () => inner.GetAsync(store, orderId, cancellationToken));

    public ValueTask<bool> TryCreateAsync(ReceiptUses uses, CancellationToken cancellationToken) =>
        Conditional("receipt create", () => inner.TryCreateAsync(uses, cancellationToken), created => created, _ => false);

    public ValueTask<bool> TryReplaceAsync(ReceiptUses uses, string ifMatch, CancellationToken cancellationToken) =>
        Conditional("receipt replace", () => inner.TryReplaceAsync(uses, ifMatch, cancellationToken), replaced => replaced, _ => false);
}

internal sealed class FaultyFraudConfigStore(IFraudConfigStore inner, FaultInjector faults) : FaultyStore(faults), IFraudConfigStore
{
    public ValueTask<StoredFraudConfig?> GetAsync(string gameId, CancellationToken cancellationToken) =>
        Read("fraud config read", () => inner.GetAsync(gameId, cancellationToken));

    public ValueTask<string?> SaveAsync(string gameId, GameFraudConfig config, string? ifMatch, CancellationToken cancellationToken) =>
        Write("fraud config save", () => inner.SaveAsync(gameId, config, ifMatch, cancellationToken));
}
