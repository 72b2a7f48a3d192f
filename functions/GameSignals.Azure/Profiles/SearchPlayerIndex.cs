using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Azure;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using GameSignals.Profiles;
using IndexingResult = GameSignals.Profiles.IndexingResult;

namespace GameSignals.Azure.Profiles;

/// <summary>
/// The player vector index in Azure AI Search: one document per (game, user) with the filterable fields of
/// <see cref="PlayerDocument"/> and the profile vector in an HNSW, cosine vector field.
/// </summary>
public sealed class SearchPlayerIndex(SearchClient client, SearchIndexClient indexClient) : IPlayerIndex
{
    /// <summary>AI Search's limit of documents per indexing request.</summary>
    public const int MaxBatch = 1000;

    public const string VectorProfile = "players";
    public const string HnswConfiguration = "players-hnsw";

    /// <summary>The index definition: filterable fields and a vector field of <see cref="ProfileFeatures.VectorLength"/> dimensions.</summary>
    public static SearchIndex Definition(string name) => new(name)
    {
        Fields =
        {
            new SimpleField(Fields.Id, SearchFieldDataType.String) { IsKey = true },
            new SimpleField(Fields.GameId, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(Fields.UserId, SearchFieldDataType.String),
            new SimpleField(Fields.Server, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(Fields.Level, SearchFieldDataType.Int32) { IsFilterable = true },
            new SimpleField(Fields.Platform, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(Fields.LastSeen, SearchFieldDataType.DateTimeOffset) { IsFilterable = true },
            // Retrievable: the similarity service explains results from the vectors it gets back.
            new VectorSearchField(Fields.Vector, ProfileFeatures.VectorLength, VectorProfile) { IsHidden = false },
        },
        VectorSearch = new VectorSearch
        {
            Algorithms = { new HnswAlgorithmConfiguration(HnswConfiguration) { Parameters = new HnswParameters { Metric = VectorSearchAlgorithmMetric.Cosine } } },
            Profiles = { new VectorSearchProfile(VectorProfile, HnswConfiguration) },
        },
    };

    /// <summary>
    /// Creates the index when it is missing, and updates it when a field is missing (new fields can be added
    /// in place; a changed vector dimension cannot, and fails here, at startup, rather than on every write).
    /// </summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        var wanted = Definition(client.IndexName);
        try
        {
            var existing = (await indexClient.GetIndexAsync(client.IndexName, cancellationToken).ConfigureAwait(false)).Value;
            if (wanted.Fields.All(f => existing.Fields.Any(e => e.Name == f.Name)))
            {
                return;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Missing: created below.
        }

        await indexClient.CreateOrUpdateIndexAsync(wanted, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new List<IndexingResult>(documents.Count);
        foreach (var chunk in documents.Chunk(MaxBatch))
        {
            var byKey = chunk.ToDictionary(d => KeyOf(d.GameId, d.UserId), StringComparer.Ordinal);
            var batch = IndexDocumentsBatch.MergeOrUpload(chunk.Select(PlayerSearchDocument.From));
            // Per-document outcomes instead of an exception for the whole request (HTTP 207).
            var response = await client.IndexDocumentsAsync(batch, new IndexDocumentsOptions { ThrowOnAnyError = false }, cancellationToken).ConfigureAwait(false);
            foreach (var result in response.Value.Results)
            {
                var document = byKey[result.Key];
                results.Add(new IndexingResult(document.GameId, document.UserId, result.Succeeded, result.Succeeded ? null : $"{result.Status}: {result.ErrorMessage}"));
            }
        }

        return results;
    }

    public async ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken)
    {
        var key = KeyOf(gameId, userId);
        try
        {
            // AI Search answers success for deleting a missing key, so whether it was there is read first.
            await client.GetDocumentAsync<PlayerSearchDocument>(key, new GetDocumentOptions { SelectedFields = { Fields.Id } }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        await client.DeleteDocumentsAsync(Fields.Id, [key], new IndexDocumentsOptions { ThrowOnAnyError = true }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var options = new SearchOptions
        {
            Filter = ODataFilter(filter),
            Size = k,
            VectorSearch = new VectorSearchOptions
            {
                Queries = { new VectorizedQuery(vector) { KNearestNeighborsCount = k, Fields = { Fields.Vector } } },
                // Filter first, then rank: a post-filter would return fewer than k when the filter is selective.
                FilterMode = VectorFilterMode.PreFilter,
            },
        };
        var response = await client.SearchAsync<PlayerSearchDocument>(null, options, cancellationToken).ConfigureAwait(false);
        var hits = new List<PlayerHit>(k);
        await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
        {
            hits.Add(new PlayerHit(result.Document.ToPlayerDocument(), CosineFromScore(result.Score ?? 0)));
        }

        return hits;
    }

    /// <summary>
    /// The OData <c>$filter</c> of <paramref name="filter"/>. <see cref="SearchFilter.Create(FormattableString)"/> quotes and escapes
    /// string values and formats dates, so a server named <c>o'brien</c> cannot end the literal (field names are
    /// written in the format, not interpolated, which would quote them too).
    /// </summary>
    public static string ODataFilter(PlayerFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clauses = new List<string> { SearchFilter.Create($"gameId eq {filter.GameId}") };
        if (filter.Server is { } server)
        {
            clauses.Add(SearchFilter.Create($"server eq {server}"));
        }

        if (filter.MinLevel is { } minLevel)
        {
            clauses.Add(SearchFilter.Create($"level ge {minLevel}"));
        }

        if (filter.MaxLevel is { } maxLevel)
        {
            clauses.Add(SearchFilter.Create($"level le {maxLevel}"));
        }

        if (filter.Platform is { } platform)
        {
            clauses.Add(SearchFilter.Create($"platform eq {platform}"));
        }

        if (filter.LastSeenFrom is { } from)
        {
            clauses.Add(SearchFilter.Create($"lastSeen ge {from}"));
        }

        if (filter.LastSeenTo is { } to)
        {
            clauses.Add(SearchFilter.Create($"lastSeen le {to}"));
        }

        return string.Join(" and ", clauses);
    }

    /// <summary>
    /// The cosine similarity behind an AI Search cosine score, which is <c>1 / (1 + (1 - cosine))</c>
    /// (documented "search score" of the cosine metric), so that it means what <see cref="PlayerHit.Score"/> says.
    /// </summary>
    public static double CosineFromScore(double score) => score > 0 ? 2 - (1 / score) : -1;

    /// <summary>
    /// The document key of a player: base64url of <c>{gameId length}:{gameId}{userId}</c> (the length keeps any
    /// two pairs apart whatever characters they hold), since keys allow only letters, digits, <c>_</c>, <c>-</c>, <c>=</c>.
    /// </summary>
    public static string KeyOf(string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(gameId);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{gameId.Length}:{gameId}{userId}")));
    }

    /// <summary>Field names of the index.</summary>
    public static class Fields
    {
        public const string Id = "id";
        public const string GameId = "gameId";
        public const string UserId = "userId";
        public const string Server = "server";
        public const string Level = "level";
        public const string Platform = "platform";
        public const string LastSeen = "lastSeen";
        public const string Vector = "vector";
    }
}

/// <summary>One player as AI Search stores it.</summary>
public sealed class PlayerSearchDocument
{
    [JsonPropertyName(SearchPlayerIndex.Fields.Id)] public required string Id { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.GameId)] public required string GameId { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.UserId)] public required string UserId { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.Server)] public string? Server { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.Level)] public int Level { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.Platform)] public string? Platform { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.LastSeen)] public DateTimeOffset LastSeen { get; init; }
    [JsonPropertyName(SearchPlayerIndex.Fields.Vector)] public float[] Vector { get; init; } = [];

    public static PlayerSearchDocument From(PlayerDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new()
        {
            Id = SearchPlayerIndex.KeyOf(document.GameId, document.UserId),
            GameId = document.GameId,
            UserId = document.UserId,
            Server = document.Server,
            Level = document.Level,
            Platform = document.Platform,
            LastSeen = document.LastSeen,
            Vector = document.Vector,
        };
    }

    public PlayerDocument ToPlayerDocument() => new(GameId, UserId, Server, Level, Platform, LastSeen, Vector);
}
