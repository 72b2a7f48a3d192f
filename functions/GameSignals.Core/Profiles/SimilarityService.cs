namespace GameSignals.Profiles;

/// <summary>Why a result resembles the examples: one feature, its robustly scaled value and the examples' mean of it.</summary>
public sealed record FeatureMatch(string Feature, double ScaledValue, double ExamplesScaledMean);

public sealed record SimilarPlayer(string UserId, double Score, string? Server, int Level, string? Platform, DateTimeOffset LastSeen, IReadOnlyList<FeatureMatch> SharedFeatures);

/// <summary>Where a player stands on one feature among their peers: percentile in [0, 100] (ties count half).</summary>
public sealed record FeaturePosition(string Feature, double Value, double PeerMedian, double Percentile);

public sealed record PeerComparison(string GameId, string UserId, IReadOnlyList<SimilarPlayer> Peers, IReadOnlyList<FeaturePosition> Features);

/// <summary>
/// "Players similar to these" and "how does this player compare with players like them", over the vector
/// index. Examples are vectorized with the game's current statistics and averaged (as unit vectors, since the
/// index ranks by cosine).
/// </summary>
public sealed class SimilarityService(IProfileStore profiles, IPopulationStatisticsStore statistics, IPlayerIndex index)
{
    public const int MaxK = 100;
    public const int MaxExamples = 100;

    /// <summary>At most how many features explain each result.</summary>
    public const int ExplainingFeatures = 3;

    /// <summary>
    /// The <paramref name="k"/> players most similar to <paramref name="exampleUserIds"/> in
    /// <paramref name="filter"/>'s game, best first, without the examples.
    /// </summary>
    /// <exception cref="InvalidSimilarityRequestException">k, the examples or the filter are invalid.</exception>
    /// <exception cref="UnknownPlayersException">An example has no profile.</exception>
    /// <exception cref="SimilarityNotReadyException">The game has no statistics yet.</exception>
    public async ValueTask<IReadOnlyList<SimilarPlayer>> FindSimilarAsync(
        IReadOnlyCollection<string> exampleUserIds, int k, PlayerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exampleUserIds);
        ArgumentNullException.ThrowIfNull(filter);
        ValidateK(k);
        filter.Validate();
        var examples = exampleUserIds.Distinct(StringComparer.Ordinal).ToList();
        if (examples.Count == 0 || examples.Count > MaxExamples || examples.Exists(string.IsNullOrWhiteSpace))
        {
            throw new InvalidSimilarityRequestException("examples", $"Give between 1 and {MaxExamples} example user ids, none empty.");
        }

        var vectorizer = await VectorizerAsync(filter.GameId, cancellationToken).ConfigureAwait(false);
        var exampleProfiles = await LoadAsync(filter.GameId, examples, cancellationToken).ConfigureAwait(false);
        var exampleVectors = exampleProfiles.Select(vectorizer.Vectorize).ToList();
        var centroid = Centroid(exampleVectors);
        var numericMean = new double[ProfileFeatures.Numeric.Count];
        for (var i = 0; i < numericMean.Length; i++)
        {
            numericMean[i] = exampleVectors.Average(v => v[i]);
        }

        var hits = await index.SearchAsync(centroid, k + examples.Count, filter, cancellationToken).ConfigureAwait(false);
        var excluded = examples.ToHashSet(StringComparer.Ordinal);
        return [.. hits.Where(h => !excluded.Contains(h.Document.UserId)).Take(k).Select(h => Describe(h, numericMean))];
    }

    /// <summary>
    /// Where <paramref name="userId"/> stands, feature by feature, among their <paramref name="k"/> most similar
    /// players in <paramref name="filter"/>'s game.
    /// </summary>
    public async ValueTask<PeerComparison> ComparePeersAsync(string userId, int k, PlayerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var peers = await FindSimilarAsync([userId], k, filter, cancellationToken).ConfigureAwait(false);
        var player = (await LoadAsync(filter.GameId, [userId], cancellationToken).ConfigureAwait(false))[0];
        // Peers found in the index may since have been removed from the store: compare with those still there.
        var peerProfiles = new List<PlayerProfile>(peers.Count);
        foreach (var peer in peers)
        {
            if (await profiles.GetAsync(filter.GameId, peer.UserId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                peerProfiles.Add(stored.Profile);
            }
        }

        var positions = new List<FeaturePosition>(ProfileFeatures.Numeric.Count);
        foreach (var feature in ProfileFeatures.Numeric)
        {
            var value = feature.Read(player);
            var peerValues = peerProfiles.Select(feature.Read).Order().ToArray();
            positions.Add(peerValues.Length == 0
                ? new FeaturePosition(feature.Name, value, double.NaN, double.NaN)
                : new FeaturePosition(
                    feature.Name, value, PopulationStatistics.Quantile(peerValues, 0.5),
                    100 * (peerValues.Count(v => v < value) + (0.5 * peerValues.Count(v => v == value))) / peerValues.Length));
        }

        return new PeerComparison(filter.GameId, userId, peers, positions);
    }

    private static void ValidateK(int k)
    {
        if (k is < 1 or > MaxK)
        {
            throw new InvalidSimilarityRequestException("k", $"k must be between 1 and {MaxK}, was {k}.");
        }
    }

    private async ValueTask<ProfileVectorizer> VectorizerAsync(string gameId, CancellationToken cancellationToken) =>
        await statistics.GetAsync(gameId, cancellationToken).ConfigureAwait(false) is { } current
            ? new ProfileVectorizer(current)
            : throw new SimilarityNotReadyException(gameId);

    private async ValueTask<List<PlayerProfile>> LoadAsync(string gameId, List<string> userIds, CancellationToken cancellationToken)
    {
        var found = new List<PlayerProfile>(userIds.Count);
        var missing = new List<string>();
        foreach (var userId in userIds)
        {
            if (await profiles.GetAsync(gameId, userId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                found.Add(stored.Profile);
            }
            else
            {
                missing.Add(userId);
            }
        }

        return missing.Count == 0 ? found : throw new UnknownPlayersException(gameId, missing);
    }

    /// <summary>Mean of the unit vectors: the direction closest, by cosine, to all examples at once.</summary>
    /// <summary>The sum of the examples' unit vectors: the query of "players like these".</summary>
    public static float[] Centroid(IReadOnlyList<float[]> vectors)
    {
        var centroid = new float[vectors[0].Length];
        foreach (var vector in vectors)
        {
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
            for (var i = 0; i < centroid.Length && norm > 0; i++)
            {
                centroid[i] += vector[i] / norm;
            }
        }

        return centroid;
    }

    /// <summary>
    /// The result with the features that add most to its cosine with the examples: the product of its scaled
    /// value and the examples' mean, large when both sit far from the population median on the same side.
    /// (The smallest difference alone would explain everything by features where everyone is at the median.)
    /// </summary>
    private static SimilarPlayer Describe(PlayerHit hit, double[] examplesMean)
    {
        var document = hit.Document;
        var shared = Enumerable.Range(0, examplesMean.Length)
            .Select(i => (Index: i, Contribution: document.Vector[i] * examplesMean[i]))
            .Where(c => c.Contribution > 0)
            .OrderByDescending(c => c.Contribution)
            .Take(ExplainingFeatures)
            .Select(c => new FeatureMatch(ProfileFeatures.Numeric[c.Index].Name, document.Vector[c.Index], examplesMean[c.Index]))
            .ToList();
        return new SimilarPlayer(document.UserId, hit.Score, document.Server, document.Level, document.Platform, document.LastSeen, shared);
    }
}
