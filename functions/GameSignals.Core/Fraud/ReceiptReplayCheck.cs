using System.Text.Json.Nodes;
using GameSignals.Events;

namespace GameSignals.Fraud;

/// <summary>
/// <c>payment.receipt_replay</c>: every use of a store order but the earliest (event time, then event id) is
/// flagged. Each purchase adds itself to the order's document (create once, then ETag-guarded replaces, so
/// concurrent instances never lose a use) and then flags every use but the first of the list it wrote, so a
/// late earlier use flags the later ones already processed. A use flagged once stays rightly flagged: an
/// earlier one exists whatever arrives later.
/// </summary>
internal sealed class ReceiptReplayCheck(IReceiptUseStore store, FraudConfigCache configs, FlagRaiser raiser)
{
    private const int MaxAttempts = 32;
    private const string UsesSeen = "usesSeen"; // the evidence's count of what the check saw

    public async ValueTask CheckAsync(GameEvent purchase, string storeName, string orderId, CancellationToken cancellationToken)
    {
        var use = new ReceiptUse(purchase.GameId, purchase.UserId, purchase.Source, purchase.Id, purchase.Time);
        var uses = (await RecordAsync(storeName, orderId, use, cancellationToken).ConfigureAwait(false)).Order(ReceiptUse.EarliestFirst).ToList();
        var first = uses[0];
        foreach (var later in uses.Skip(1))
        {
            if (await configs.GetAsync(later.GameId, cancellationToken).ConfigureAwait(false) is not { } policy)
            {
                continue;
            }

            var evidence = new JsonObject
            {
                ["store"] = storeName,
                ["orderId"] = orderId,
                ["firstUseEventId"] = first.EventId,
                ["firstUseSource"] = first.Source,
                ["firstUseUserId"] = first.UserId,
                ["firstUseTime"] = first.Time,
                [UsesSeen] = uses.Count,
            };
            var about = new FlaggedEvent(later.GameId, later.UserId, later.Source, later.EventId, later.Time);
            await raiser.RaiseAsync(policy, FraudReasons.ReceiptReplay, about, evidence, cancellationToken, seenCount: UsesSeen).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the use to the order's document (idempotently) and returns all uses it then lists.</summary>
    private async ValueTask<IReadOnlyList<ReceiptUse>> RecordAsync(string storeName, string orderId, ReceiptUse use, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var document = await store.GetAsync(storeName, orderId, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                if (await store.TryCreateAsync(new ReceiptUses(storeName, orderId, [use]), cancellationToken).ConfigureAwait(false))
                {
                    return [use];
                }
            }
            else if (document.Uses.Any(use.IsSameEvent))
            {
                return document.Uses;
            }
            else
            {
                IReadOnlyList<ReceiptUse> updated = [.. document.Uses, use];
                if (await store.TryReplaceAsync(document with { Uses = updated }, document.ETag!, cancellationToken).ConfigureAwait(false))
                {
                    return updated;
                }
            }
        }

        // Every failed attempt means another writer succeeded; this much contention is transient, so the batch is retried.
        throw new InvalidOperationException($"The uses of order {storeName}/{orderId} changed {MaxAttempts} times while this purchase was being recorded.");
    }
}
