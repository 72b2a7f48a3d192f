namespace GameSignals.Profiles;

/// <summary>
/// The shell of the embedded indexes: one vector set per game behind one lock (searches do not run in
/// parallel), per-document upsert results, a vector length fixed per game by its first document.
/// </summary>
public abstract class EmbeddedPlayerIndex : IPlayerIndex
{
    private readonly Dictionary<string, IGameVectors> _games = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private protected abstract IGameVectors CreateGame();

    /// <summary>The games so far, for a subclass whose vector sets hold native memory.</summary>
    private protected IReadOnlyList<IGameVectors> Games()
    {
        lock (_lock)
        {
            return [.. _games.Values];
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
                cancellationToken.ThrowIfCancellationRequested();
                var document = documents[i];
                if (!_games.TryGetValue(document.GameId, out var game))
                {
                    _games[document.GameId] = game = CreateGame();
                }

                if (game.Dimensions is { } dimensions && dimensions != document.Vector.Length)
                {
                    results[i] = new IndexingResult(document.GameId, document.UserId, false, $"Vector has {document.Vector.Length} dimensions, the index {dimensions}.");
                    continue;
                }

                game.Upsert(document);
                results[i] = new IndexingResult(document.GameId, document.UserId, true);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<IndexingResult>>(results);
    }

    public ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_games.TryGetValue(gameId, out var game) && game.Delete(userId));
        }
    }

    public ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        lock (_lock)
        {
            return ValueTask.FromResult(_games.TryGetValue(filter.GameId, out var game) ? game.Search(vector.Span, k, filter) : []);
        }
    }
}

/// <summary>The vectors of one game in an <see cref="EmbeddedPlayerIndex"/>.</summary>
internal interface IGameVectors
{
    int? Dimensions { get; }

    void Upsert(PlayerDocument document);

    bool Delete(string userId);

    IReadOnlyList<PlayerHit> Search(ReadOnlySpan<float> query, int k, PlayerFilter filter);
}
