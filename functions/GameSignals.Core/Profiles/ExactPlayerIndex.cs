using System.Numerics.Tensors;

namespace GameSignals.Profiles;

/// <summary>
/// Exact k-nearest-neighbour search: a SIMD cosine against every document of the game. Right for replay,
/// tests and games up to some hundred thousand players (see the benchmark), and the reference for recall.
/// </summary>
public sealed class ExactPlayerIndex : EmbeddedPlayerIndex
{
    private protected override IGameVectors CreateGame() => new ExactGameVectors();

    /// <summary>Cosine similarity, 0 when either vector is all zeros (a player exactly at the population median).</summary>
    internal static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        TensorPrimitives.CosineSimilarity(x, y) is var cosine && float.IsFinite(cosine) ? cosine : 0;

    internal sealed class ExactGameVectors : IGameVectors
    {
        private readonly Dictionary<string, PlayerDocument> _players = new(StringComparer.Ordinal);

        public int Count => _players.Count;

        public IEnumerable<PlayerDocument> Documents => _players.Values;

        public int? Dimensions => _players.Count == 0 ? null : _players.Values.First().Vector.Length;

        public void Upsert(PlayerDocument document) => _players[document.UserId] = document;

        public bool Delete(string userId) => _players.Remove(userId);

        public IReadOnlyList<PlayerHit> Search(ReadOnlySpan<float> query, int k, PlayerFilter filter)
        {
            var best = new TopK(k);
            foreach (var document in _players.Values)
            {
                if (filter.Matches(document))
                {
                    best.Offer(document, Cosine(query, document.Vector));
                }
            }

            return best.Results();
        }
    }
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
