using Cloud.Unum.USearch;

namespace GameSignals.Profiles;

/// <summary>
/// Embedded index for large games: each game starts with the exact scan and moves, once it holds more than
/// <c>exactUpTo</c> players, to a USearch HNSW graph (native, SIMD; our own HNSW was barely faster than the scan).
/// Below the threshold the exact scan is as fast and has perfect recall. A game never moves back.
/// </summary>
public sealed class ApproximatePlayerIndex(int exactUpTo = ApproximatePlayerIndex.DefaultExactUpTo) : EmbeddedPlayerIndex, IDisposable
{
    /// <summary>Players per game above which the graph replaces the scan (see the vectors component goal).</summary>
    public const int DefaultExactUpTo = 20_000;

    private protected override IGameVectors CreateGame() => new SwitchingGameVectors(exactUpTo);

    /// <summary>Frees the native graphs.</summary>
    public void Dispose()
    {
        foreach (var game in Games())
        {
            ((SwitchingGameVectors)game).Dispose();
        }
    }

    private sealed class SwitchingGameVectors(int exactUpTo) : IGameVectors, IDisposable
    {
        private ExactPlayerIndex.ExactGameVectors? _exact = new();
        private USearchGameVectors? _graph;

        private IGameVectors Current => (IGameVectors?)_exact ?? _graph!;

        public int? Dimensions => Current.Dimensions;

        public void Upsert(PlayerDocument document)
        {
            Current.Upsert(document);
            if (_exact is { } exact && exact.Count > exactUpTo)
            {
                _graph = new USearchGameVectors(document.Vector.Length, exact.Documents);
                _exact = null;
            }
        }

        public bool Delete(string userId) => Current.Delete(userId);

        public IReadOnlyList<PlayerHit> Search(ReadOnlySpan<float> query, int k, PlayerFilter filter) => Current.Search(query, k, filter);

        public void Dispose() => _graph?.Dispose();
    }
}

/// <summary>
/// One game's USearch graph (cosine). User ids map to fresh 64-bit keys; a replaced or deleted player's key is
/// removed from the graph. Upserts wait until the next search and enter the graph together. Filters: the graph
/// returns an over-fetched candidate list that is filtered and
/// rescored exactly; when fewer than k candidates pass, the game is scanned exactly, so a narrow filter
/// never returns fewer hits than the exact index would.
/// </summary>
internal sealed class USearchGameVectors : IGameVectors, IDisposable
{
    /// <summary>Candidates fetched per wanted hit before filtering.</summary>
    private const int OverFetch = 4;

    private readonly USearchIndex _graph;
    private readonly Dictionary<string, ulong> _keyOf = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, PlayerDocument> _documents = [];
    private readonly HashSet<ulong> _pending = [];
    private readonly int _dimensions;
    private ulong _nextKey;

    public USearchGameVectors(int dimensions, IEnumerable<PlayerDocument> documents)
    {
        _dimensions = dimensions;
        _graph = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, (ulong)dimensions, connectivity: 16, expansionAdd: 64, expansionSearch: 64);
        foreach (var document in documents)
        {
            Upsert(document);
        }
    }

    public int? Dimensions => _dimensions;

    public void Upsert(PlayerDocument document)
    {
        Delete(document.UserId);
        var key = _nextKey++;
        _keyOf[document.UserId] = key;
        _documents[key] = document;
        _pending.Add(key);
    }

    public bool Delete(string userId)
    {
        if (!_keyOf.Remove(userId, out var key))
        {
            return false;
        }

        if (!_pending.Remove(key))
        {
            _graph.Remove(key);
        }

        _documents.Remove(key);
        return true;
    }

    /// <summary>
    /// Adds the pending players in one call: the wrapper's single add grows the graph's capacity by one each time,
    /// which copies the graph's tables on every add; its batch add reserves once.
    /// </summary>
    private void AddPending()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        ulong[] keys = [.. _pending];
        _graph.Add(keys, [.. keys.Select(key => _documents[key].Vector)]);
        _pending.Clear();
    }

    public IReadOnlyList<PlayerHit> Search(ReadOnlySpan<float> query, int k, PlayerFilter filter)
    {
        if (_documents.Count == 0)
        {
            return [];
        }

        AddPending();
        var best = new TopK(k);
        var wanted = Math.Min(k * OverFetch, _documents.Count);
        _graph.Search(query.ToArray(), wanted, out ulong[] keys, out float[] _);
        var passed = 0;
        foreach (var key in keys)
        {
            if (_documents.TryGetValue(key, out var document) && filter.Matches(document))
            {
                best.Offer(document, ExactPlayerIndex.Cosine(query, document.Vector));
                passed++;
            }
        }

        return passed >= k || keys.Length >= _documents.Count ? best.Results() : Scan(query, k, filter);
    }

    public void Dispose() => _graph.Dispose();

    private IReadOnlyList<PlayerHit> Scan(ReadOnlySpan<float> query, int k, PlayerFilter filter)
    {
        var best = new TopK(k);
        foreach (var document in _documents.Values)
        {
            if (filter.Matches(document))
            {
                best.Offer(document, ExactPlayerIndex.Cosine(query, document.Vector));
            }
        }

        return best.Results();
    }
}
