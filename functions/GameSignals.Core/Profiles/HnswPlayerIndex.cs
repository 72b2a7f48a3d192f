using System.Numerics.Tensors;

namespace GameSignals.Profiles;

/// <summary>Parameters of <see cref="HnswPlayerIndex"/> (names as in the HNSW paper and AI Search's <c>hnsw</c> algorithm).</summary>
public sealed record HnswOptions
{
    /// <summary>Links per node on the upper layers (twice that on layer 0).</summary>
    public int M { get; init; } = 16;

    public int EfConstruction { get; init; } = 100;

    /// <summary>Candidate list size when searching; at least k.</summary>
    public int EfSearch { get; init; } = 100;

    /// <summary>Seed of the level draw, so a build is reproducible.</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>
/// Approximate k-nearest-neighbour search for large games: one HNSW graph (Malkov and Yashunin 2016) per game.
/// Written here rather than taken from USearch so Core carries no native library and filters apply during
/// the walk (a filter that leaves too few matches widens the search, finally to every node).
/// Updates and deletes leave tombstones that still route searches.
/// </summary>
public sealed class HnswPlayerIndex(HnswOptions? options = null) : EmbeddedPlayerIndex
{
    private readonly HnswOptions _options = options ?? new HnswOptions();

    private protected override IGameVectors CreateGame() => new HnswGraph(_options);
}

/// <summary>One game's HNSW graph over unit vectors; distance is 1 - cosine.</summary>
internal sealed class HnswGraph(HnswOptions options) : IGameVectors
{
    private readonly List<float[]> _vectors = [];
    private readonly List<PlayerDocument?> _documents = []; // null: deleted or replaced
    private readonly List<List<int>[]> _links = []; // per node, per layer
    private readonly Dictionary<string, int> _nodeOf = new(StringComparer.Ordinal);
    private readonly Random _random = new(options.Seed);
    private readonly double _levelFactor = 1 / Math.Log(options.M);
    private int[] _visited = [];
    private int _visitMark;
    private int _entry = -1;
    private int _topLayer = -1;

    public int? Dimensions => _vectors.Count == 0 ? null : _vectors[0].Length;

    public void Upsert(PlayerDocument document)
    {
        Delete(document.UserId);
        var vector = Normalize(document.Vector);
        var layer = (int)Math.Floor(-Math.Log(1 - _random.NextDouble()) * _levelFactor);
        var node = _vectors.Count;
        _vectors.Add(vector);
        _documents.Add(document);
        _links.Add([.. Enumerable.Range(0, layer + 1).Select(_ => new List<int>())]);
        _nodeOf[document.UserId] = node;
        if (_entry < 0)
        {
            (_entry, _topLayer) = (node, layer);
            return;
        }

        var entry = _entry;
        for (var l = _topLayer; l > layer; l--)
        {
            entry = Greedy(vector, entry, l);
        }

        for (var l = Math.Min(layer, _topLayer); l >= 0; l--)
        {
            var candidates = SearchLayer(vector, entry, options.EfConstruction, l);
            var max = l == 0 ? 2 * options.M : options.M;
            _links[node][l] = SelectNeighbours(candidates, options.M);
            foreach (var neighbour in _links[node][l])
            {
                var links = _links[neighbour][l];
                links.Add(node);
                if (links.Count > max)
                {
                    // Overflow: keep the nearest (the diversity heuristic here would cost a quadratic number of distances per insert).
                    var ids = links.ToArray();
                    var distances = Array.ConvertAll(ids, n => Distance(_vectors[neighbour], _vectors[n]));
                    Array.Sort(distances, ids);
                    links.Clear();
                    links.AddRange(ids.AsSpan(0, max));
                }
            }

            entry = candidates[0].Node;
        }

        if (layer > _topLayer)
        {
            (_entry, _topLayer) = (node, layer);
        }
    }

    public bool Delete(string userId)
    {
        if (!_nodeOf.Remove(userId, out var node))
        {
            return false;
        }

        _documents[node] = null;
        return true;
    }

    public IReadOnlyList<PlayerHit> Search(ReadOnlySpan<float> query, int k, PlayerFilter filter)
    {
        if (_entry < 0)
        {
            return [];
        }

        var vector = Normalize(query);
        var entry = _entry;
        for (var l = _topLayer; l > 0; l--)
        {
            entry = Greedy(vector, entry, l);
        }

        // Widen until k matches are found or the candidate list covers the graph.
        for (var ef = Math.Max(options.EfSearch, k); ; ef *= 4)
        {
            var best = new TopK(k);
            var found = 0;
            foreach (var (distance, node) in SearchLayer(vector, entry, ef, 0))
            {
                if (_documents[node] is { } document && filter.Matches(document))
                {
                    best.Offer(document, 1 - distance);
                    found++;
                }
            }

            if (found >= k || ef >= _vectors.Count)
            {
                return best.Results();
            }
        }
    }

    private int Greedy(float[] query, int entry, int layer)
    {
        var current = entry;
        var currentDistance = Distance(query, _vectors[current]);
        for (var improved = true; improved;)
        {
            improved = false;
            foreach (var neighbour in _links[current][layer])
            {
                var distance = Distance(query, _vectors[neighbour]);
                if (distance < currentDistance)
                {
                    (current, currentDistance, improved) = (neighbour, distance, true);
                }
            }
        }

        return current;
    }

    /// <summary>The <paramref name="ef"/> nearest nodes found from <paramref name="entry"/> on one layer, nearest first.</summary>
    private List<(float Distance, int Node)> SearchLayer(float[] query, int entry, int ef, int layer)
    {
        if (_visited.Length < _vectors.Count)
        {
            Array.Resize(ref _visited, Math.Max(_vectors.Count, _visited.Length * 2));
        }

        var mark = ++_visitMark;
        var candidates = new PriorityQueue<int, float>(ef); // nearest first
        var results = new PriorityQueue<int, float>(ef + 1); // by negated distance: farthest first, default comparer
        var entryDistance = Distance(query, _vectors[entry]);
        candidates.Enqueue(entry, entryDistance);
        results.Enqueue(entry, -entryDistance);
        var farthest = entryDistance;
        _visited[entry] = mark;
        while (candidates.TryDequeue(out var node, out var distance))
        {
            if (distance > farthest && results.Count >= ef)
            {
                break;
            }

            foreach (var neighbour in _links[node][layer])
            {
                if (_visited[neighbour] == mark)
                {
                    continue;
                }

                _visited[neighbour] = mark;
                var d = Distance(query, _vectors[neighbour]);
                if (results.Count < ef)
                {
                    candidates.Enqueue(neighbour, d);
                    results.Enqueue(neighbour, -d);
                }
                else if (d < farthest)
                {
                    candidates.Enqueue(neighbour, d);
                    results.EnqueueDequeue(neighbour, -d);
                }
                else
                {
                    continue;
                }

                results.TryPeek(out _, out var negated);
                farthest = -negated;
            }
        }

        var nearest = new List<(float Distance, int Node)>(results.Count);
        while (results.TryDequeue(out var node, out var negated))
        {
            nearest.Add((-negated, node));
        }

        nearest.Reverse();
        return nearest;
    }

    /// <summary>
    /// The paper's heuristic: take a candidate only if it is nearer to the base than to any neighbour already
    /// taken (keeps links spread across clusters), then fill up with the nearest skipped ones.
    /// </summary>
    private List<int> SelectNeighbours(List<(float Distance, int Node)> nearestFirst, int max)
    {
        var selected = new List<int>(max);
        var skipped = new List<int>();
        foreach (var (distance, node) in nearestFirst)
        {
            if (selected.Count >= max)
            {
                break;
            }

            if (selected.TrueForAll(s => Distance(_vectors[node], _vectors[s]) > distance))
            {
                selected.Add(node);
            }
            else
            {
                skipped.Add(node);
            }
        }

        selected.AddRange(skipped.Take(max - selected.Count));
        return selected;
    }

    private static float Distance(float[] x, float[] y) => 1 - TensorPrimitives.Dot(x, y);

    private static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var unit = vector.ToArray();
        var norm = TensorPrimitives.Norm(unit);
        if (norm > 0)
        {
            TensorPrimitives.Divide(unit, norm, unit);
        }

        return unit;
    }
}
