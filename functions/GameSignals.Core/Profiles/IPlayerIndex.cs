namespace GameSignals.Profiles;

/// <summary>One player in the vector index: filterable fields and the profile vector.</summary>
public sealed record PlayerDocument(
    string GameId, string UserId, string? Server, int Level, string? Platform, DateTimeOffset LastSeen, float[] Vector);

/// <summary>
/// Search filters, all ANDed (an OData <c>$filter</c> in Azure AI Search). <see cref="GameId"/> is required:
/// players are only ever compared within one game.
/// </summary>
public sealed record PlayerFilter(string GameId)
{
    public string? Server { get; init; }
    public int? MinLevel { get; init; }
    public int? MaxLevel { get; init; }
    public string? Platform { get; init; }
    public DateTimeOffset? LastSeenFrom { get; init; }
    public DateTimeOffset? LastSeenTo { get; init; }

    /// <summary>Throws <see cref="InvalidSimilarityRequestException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(GameId))
        {
            throw new InvalidSimilarityRequestException("gameId", "A game id is required.");
        }

        if (MinLevel < 0 || MaxLevel < 0)
        {
            throw new InvalidSimilarityRequestException("level", "Levels cannot be negative.");
        }

        if (MinLevel > MaxLevel)
        {
            throw new InvalidSimilarityRequestException("level", $"The level range {MinLevel}-{MaxLevel} is empty.");
        }

        if (LastSeenFrom > LastSeenTo)
        {
            throw new InvalidSimilarityRequestException("lastSeen", $"The lastSeen range {LastSeenFrom:O} to {LastSeenTo:O} is empty.");
        }

        if (Platform is not null && !ProfileFeatures.Platforms.Contains(Platform))
        {
            throw new InvalidSimilarityRequestException("platform", $"Unknown platform '{Platform}'; expected one of {string.Join(", ", ProfileFeatures.Platforms)}.");
        }
    }

    public bool Matches(PlayerDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.GameId == GameId
            && (Server is null || document.Server == Server)
            && (MinLevel is not { } min || document.Level >= min)
            && (MaxLevel is not { } max || document.Level <= max)
            && (Platform is null || document.Platform == Platform)
            && (LastSeenFrom is not { } from || document.LastSeen >= from)
            && (LastSeenTo is not { } to || document.LastSeen <= to);
    }
}

/// <summary>The outcome of one document of an upsert batch (AI Search answers per document too).</summary>
public sealed record IndexingResult(string GameId, string UserId, bool Succeeded, string? Error = null);

/// <summary>A search hit: cosine similarity in [-1, 1], higher is closer.</summary>
public sealed record PlayerHit(PlayerDocument Document, double Score);

/// <summary>
/// The vector index of player profiles, shaped after Azure AI Search: batch upsert with per-document
/// results, delete by key, and k-nearest-neighbour search by cosine with filters.
/// </summary>
public interface IPlayerIndex
{
    ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken);

    /// <summary>Removes a player; false when it was not indexed.</summary>
    ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken);

    /// <summary>The <paramref name="k"/> nearest players matching <paramref name="filter"/>, best first.</summary>
    ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken);
}
