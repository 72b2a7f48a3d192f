using System.Numerics.Tensors;

namespace GameSignals.Profiles;

/// <summary>
/// Exact k-nearest-neighbour search: a SIMD cosine against every document of the game. Right for replay,
/// tests and games up to some hundred thousand players (see the benchmark), and the reference for recall.
/// </summary>
public sealed class ExactPlayerIndex : IPlayerIndex
{
    private readonly Dictionary<string, Dictionary<string, PlayerDocument>> _games = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _games.Values.Sum(g => g.Count);
            }
        }
    }

    public ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new IndexingResult[documents.Count];
        lock (_lock)
        {
            for (var i = 0; i < documents.Count; i++)
            {
                var document = documents[i];
                if (!_games.TryGetValue(document.GameId, out var game))
                {
                    _games[document.GameId] = game = new Dictionary<string, PlayerDocument>(StringComparer.Ordinal);
                }

                game[document.UserId] = document;
                results[i] = new IndexingResult(document.GameId, document.UserId, true);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IndexingResult>>(results);
    }

    public ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_games.TryGetValue(gameId, out var game) && game.Remove(userId));
        }
    }

    public ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var best = new TopK(k);
        lock (_lock)
        {
            if (_games.TryGetValue(filter.GameId, out var game))
            {
                var query = vector.Span;
                foreach (var document in game.Values)
                {
                    if (filter.Matches(document))
                    {
                        best.Offer(document, Cosine(query, document.Vector));
                    }
                }
            }
        }

        return ValueTask.FromResult(best.Results());
    }

    /// <summary>Cosine similarity, 0 when either vector is all zeros (a player exactly at the population median).</summary>
    internal static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        TensorPrimitives.CosineSimilarity(x, y) is var cosine && float.IsFinite(cosine) ? cosine : 0;
}

/// <summary>The k best hits seen so far (a min-heap on score), ties broken by user id for stable results.</summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<PlayerHit, (double Score, string UserId)> _heap = new(k + 1, Comparer);

    private static readonly Comparer<(double Score, string UserId)> Comparer = Comparer<(double Score, string UserId)>.Create(
        (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(b.UserId, a.UserId));

    public void Offer(PlayerDocument document, double score)
    {
        var priority = (score, document.UserId);
        if (_heap.Count < k)
        {
            _heap.Enqueue(new PlayerHit(document, score), priority);
        }
        else if (_heap.TryPeek(out _, out var worst) && Comparer.Compare(priority, worst) > 0)
        {
            _heap.EnqueueDequeue(new PlayerHit(document, score), priority);
        }
    }

    public IReadOnlyList<PlayerHit> Results() =>
        [.. _heap.UnorderedItems.Select(i => i.Element).OrderByDescending(h => h.Score).ThenBy(h => h.Document.UserId, StringComparer.Ordinal)];
}
