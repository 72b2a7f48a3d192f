namespace GameSignals.Profiles;

/// <summary>
/// Keeps the vector index in step with profiles and statistics: a changed profile is re-vectorized with its
/// game's current statistics, and a statistics refresh re-vectorizes the whole game.
/// </summary>
public sealed class ProfileIndexer(IProfileStore profiles, IPopulationStatisticsStore statistics, IPlayerIndex index)
{
    private const int UpsertBatchSize = 1000; // AI Search's limit per indexing request

    /// <summary>
    /// Upserts the vectors of <paramref name="changed"/>. A game without statistics yet is skipped: its first
    /// <see cref="RefreshGameAsync"/> indexes everyone. Throws <see cref="ProfileIndexingException"/> when a
    /// document fails, so the batch is redelivered (upserts are idempotent).
    /// </summary>
    public async ValueTask IndexAsync(IReadOnlyCollection<PlayerProfile> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var game in changed.GroupBy(p => p.GameId))
        {
            if (await statistics.GetAsync(game.Key, cancellationToken).ConfigureAwait(false) is { } current)
            {
                await UpsertAsync(new ProfileVectorizer(current), [.. game], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Recomputes a game's statistics from all its profiles and re-indexes every player of it.</summary>
    public async ValueTask<PopulationStatistics?> RefreshGameAsync(string gameId, CancellationToken cancellationToken)
    {
        var all = await profiles.ListByGameAsync(gameId, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (all.Count == 0)
        {
            return null;
        }

        var computed = PopulationStatistics.Compute(all);
        await statistics.SetAsync(computed, cancellationToken).ConfigureAwait(false);
        await UpsertAsync(new ProfileVectorizer(computed), all, cancellationToken).ConfigureAwait(false);
        return computed;
    }

    private async ValueTask UpsertAsync(ProfileVectorizer vectorizer, List<PlayerProfile> players, CancellationToken cancellationToken)
    {
        foreach (var chunk in players.Chunk(UpsertBatchSize))
        {
            var results = await index.UpsertAsync([.. chunk.Select(vectorizer.ToDocument)], cancellationToken).ConfigureAwait(false);
            var failed = results.Where(r => !r.Succeeded).ToList();
            if (failed.Count > 0)
            {
                throw new ProfileIndexingException(
                    $"{failed.Count} of {results.Count} profile vectors were not indexed, first {failed[0].GameId}/{failed[0].UserId}: {failed[0].Error}");
            }
        }
    }
}

/// <summary>The index refused some documents; transient for the pipeline (the batch is redelivered).</summary>
public sealed class ProfileIndexingException : Exception
{
    public ProfileIndexingException() { }

    public ProfileIndexingException(string message) : base(message) { }

    public ProfileIndexingException(string message, Exception inner) : base(message, inner) { }
}
