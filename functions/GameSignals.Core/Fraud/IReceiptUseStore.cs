namespace GameSignals.Fraud;

/// <summary>One purchase event that used a store order.</summary>
public sealed record ReceiptUse(string GameId, string UserId, string Source, string EventId, DateTimeOffset Time)
{
    /// <summary>The contract's order of uses: earlier event time first, ties broken by the smaller event id.</summary>
    public static IComparer<ReceiptUse> EarliestFirst { get; } = Comparer<ReceiptUse>.Create((a, b) =>
    {
        var byTime = a.Time.CompareTo(b.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        var byId = string.CompareOrdinal(a.EventId, b.EventId);
        return byId != 0 ? byId : string.CompareOrdinal(a.Source, b.Source);
    });

    public bool IsSameEvent(ReceiptUse other) => other is not null && other.Source == Source && other.EventId == EventId;
}

/// <summary>The document of one store order (<c>store</c>, <c>orderId</c>): every purchase event that used it.</summary>
public sealed record ReceiptUses(string Store, string OrderId, IReadOnlyList<ReceiptUse> Uses, string? ETag = null);

/// <summary>
/// Uses of store orders across partitions and instances (a Cosmos container in Azure): a document per order,
/// created once, then changed only by ETag-guarded replaces.
/// </summary>
public interface IReceiptUseStore
{
    /// <summary>The order's document with its current ETag, or null.</summary>
    ValueTask<ReceiptUses?> GetAsync(string store, string orderId, CancellationToken cancellationToken);

    /// <summary>Creates the document; false when it already exists.</summary>
    ValueTask<bool> TryCreateAsync(ReceiptUses uses, CancellationToken cancellationToken);

    /// <summary>Replaces the document if its ETag is still <paramref name="ifMatch"/>; false otherwise.</summary>
    ValueTask<bool> TryReplaceAsync(ReceiptUses uses, string ifMatch, CancellationToken cancellationToken);
}

/// <summary>The embedded receipt-use store of replay and tests, with create-conflict and ETag semantics.</summary>
public sealed class InMemoryReceiptUseStore : IReceiptUseStore
{
    private readonly Dictionary<(string Store, string OrderId), ReceiptUses> _documents = new(StringPairComparer.Instance);
    private readonly Lock _gate = new();

    public ValueTask<ReceiptUses?> GetAsync(string store, string orderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_documents.GetValueOrDefault((store, orderId)));
        }
    }

    public ValueTask<bool> TryCreateAsync(ReceiptUses uses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        lock (_gate)
        {
            return ValueTask.FromResult(_documents.TryAdd((uses.Store, uses.OrderId), uses with { ETag = NewETag() }));
        }
    }

    public ValueTask<bool> TryReplaceAsync(ReceiptUses uses, string ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uses);
        lock (_gate)
        {
            if (!_documents.TryGetValue((uses.Store, uses.OrderId), out var current) || current.ETag != ifMatch)
            {
                return ValueTask.FromResult(false);
            }

            _documents[(uses.Store, uses.OrderId)] = uses with { ETag = NewETag() };
            return ValueTask.FromResult(true);
        }
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");
}
