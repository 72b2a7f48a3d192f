using Azure;
using Azure.Core;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using GameSignals.Azure.Profiles;
using GameSignals.Profiles;

namespace GameSignals.Integration.Tests.Profiles;

/// <summary>
/// The AI Search index through the SDK's seams (its clients are mockable, <see cref="SearchModelFactory"/> builds
/// its answers): no search service runs here. Not in the local services collection: nothing is started.
/// </summary>
public sealed class SearchPlayerIndexTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeSearchClient _client = new();
    private readonly FakeIndexClient _indexes = new();
    private readonly SearchPlayerIndex _index;

    public SearchPlayerIndexTests() => _index = new SearchPlayerIndex(_client, _indexes);

    [Fact]
    public async Task A_missing_index_is_created_with_cosine_HNSW_over_vectors_of_the_profile_length_and_filterable_fields()
    {
        await _index.EnsureIndexAsync(CancellationToken.None);

        var created = Assert.Single(_indexes.Written);
        Assert.Equal("profiles", created.Name);
        var vector = created.Fields.Single(f => f.Name == "vector");
        Assert.Equal(ProfileFeatures.VectorLength, vector.VectorSearchDimensions);
        var profile = created.VectorSearch.Profiles.Single(p => p.Name == vector.VectorSearchProfileName);
        var hnsw = Assert.IsType<HnswAlgorithmConfiguration>(created.VectorSearch.Algorithms.Single(a => a.Name == profile.AlgorithmConfigurationName));
        Assert.Equal(VectorSearchAlgorithmMetric.Cosine, hnsw.Parameters.Metric);
        Assert.Equal(
            ["gameId", "lastSeen", "level", "platform", "server"],
            created.Fields.Where(f => f.IsFilterable == true).Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.True(created.Fields.Single(f => f.IsKey == true).Name == "id");
    }

    [Fact]
    public async Task An_index_with_every_field_is_left_as_it_is()
    {
        _indexes.Existing = SearchPlayerIndex.Definition("profiles");

        await _index.EnsureIndexAsync(CancellationToken.None);

        Assert.Empty(_indexes.Written);
    }

    [Fact]
    public async Task An_index_missing_a_field_is_updated()
    {
        var old = SearchPlayerIndex.Definition("profiles");
        old.Fields.Remove(old.Fields.Single(f => f.Name == "platform"));
        _indexes.Existing = old;

        await _index.EnsureIndexAsync(CancellationToken.None);

        Assert.Contains(Assert.Single(_indexes.Written).Fields, f => f.Name == "platform");
    }

    [Fact]
    public async Task Upserts_go_in_requests_of_at_most_a_thousand_and_report_each_failed_player()
    {
        var documents = Enumerable.Range(0, 2500).Select(i => Document("odin", $"u{i}")).ToList();
        _client.Refuse = SearchPlayerIndex.KeyOf("odin", "u1700");

        var results = await _index.UpsertAsync(documents, CancellationToken.None);

        Assert.Equal([1000, 1000, 500], _client.Batches.Select(b => b.Actions.Count));
        Assert.All(_client.Batches.SelectMany(b => b.Actions), a => Assert.Equal(IndexActionType.MergeOrUpload, a.ActionType));
        Assert.Equal(2500, results.Count);
        var failed = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal(("odin", "u1700"), (failed.GameId, failed.UserId));
        Assert.Contains("too large", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_asks_for_k_neighbours_prefiltered_by_every_filter_with_string_values_escaped()
    {
        var filter = new PlayerFilter("odin") { Server = "o'brien", MinLevel = 10, MaxLevel = 20, Platform = "pc", LastSeenFrom = Time.AddDays(-7), LastSeenTo = Time };

        await _index.SearchAsync(new float[ProfileFeatures.VectorLength], 5, filter, CancellationToken.None);

        var options = _client.Searched!;
        Assert.Equal(
            "gameId eq 'odin' and server eq 'o''brien' and level ge 10 and level le 20 and platform eq 'pc' and lastSeen ge 2026-11-13T12:00:00.0000000+00:00 and lastSeen le 2026-11-20T12:00:00.0000000+00:00",
            options.Filter);
        var query = Assert.IsType<VectorizedQuery>(Assert.Single(options.VectorSearch.Queries));
        Assert.Equal((5, "vector"), (query.KNearestNeighborsCount, Assert.Single(query.Fields)));
        Assert.Equal(VectorFilterMode.PreFilter, options.VectorSearch.FilterMode);
        Assert.Equal(5, options.Size);
    }

    [Fact]
    public void Only_the_game_is_filtered_when_no_other_filter_is_given()
    {
        Assert.Equal("gameId eq 'it''s'", SearchPlayerIndex.ODataFilter(new PlayerFilter("it's")));
    }

    [Fact]
    public async Task Hits_come_back_as_players_with_the_cosine_behind_the_search_score()
    {
        var near = Document("odin", "near");
        var far = Document("odin", "far") with { Server = "eu-02", Level = 40, Platform = "ios" };
        // AI Search scores cosine as 1 / (1 + (1 - cosine)): 1 for the same direction, 0.5 for orthogonal vectors.
        _client.Hits = [(near, 1.0), (far, 0.5)];

        var hits = await _index.SearchAsync(new float[ProfileFeatures.VectorLength], 2, new PlayerFilter("odin"), CancellationToken.None);

        Assert.Equal(["near", "far"], hits.Select(h => h.Document.UserId));
        Assert.Equal(1.0, hits[0].Score, 9);
        Assert.Equal(0.0, hits[1].Score, 9);
        Assert.Equal((far.Server, far.Level, far.Platform, far.LastSeen), (hits[1].Document.Server, hits[1].Document.Level, hits[1].Document.Platform, hits[1].Document.LastSeen));
        Assert.Equal(far.Vector, hits[1].Document.Vector);
    }

    [Fact]
    public async Task Deleting_an_indexed_player_removes_it_and_an_unknown_one_is_false()
    {
        _client.Stored.Add(SearchPlayerIndex.KeyOf("odin", "u1"));

        Assert.True(await _index.DeleteAsync("odin", "u1", CancellationToken.None));
        Assert.False(await _index.DeleteAsync("odin", "nobody", CancellationToken.None));

        Assert.Equal([SearchPlayerIndex.KeyOf("odin", "u1")], _client.Deleted);
    }

    [Fact]
    public void Keys_are_url_safe_and_distinct_whatever_the_ids_hold()
    {
        var keys = new[] { SearchPlayerIndex.KeyOf("a\nb", "c"), SearchPlayerIndex.KeyOf("a", "b\nc"), SearchPlayerIndex.KeyOf("a/b", "c?#d") };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.Matches("^[A-Za-z0-9_=-]+$", k));
    }

    private static PlayerDocument Document(string gameId, string userId) =>
        new(gameId, userId, "kr-01", 12, "pc", Time, [.. Enumerable.Range(0, ProfileFeatures.VectorLength).Select(i => i / 10f)]);

    /// <summary>A search client that records requests and answers from what a test sets.</summary>
    private sealed class FakeSearchClient : SearchClient
    {
        public List<IndexDocumentsBatch<PlayerSearchDocument>> Batches { get; } = [];
        public string? Refuse { get; set; }
        public SearchOptions? Searched { get; private set; }
        public IReadOnlyList<(PlayerDocument Document, double Score)> Hits { get; set; } = [];
        public HashSet<string> Stored { get; } = [];
        public List<string> Deleted { get; } = [];

        public override string IndexName => "profiles";

        public override Task<Response<IndexDocumentsResult>> IndexDocumentsAsync<T>(IndexDocumentsBatch<T> batch, IndexDocumentsOptions? options = null, CancellationToken cancellationToken = default)
        {
            var players = (IndexDocumentsBatch<PlayerSearchDocument>)(object)batch;
            Assert.False(options?.ThrowOnAnyError ?? true);
            Batches.Add(players);
            var results = players.Actions.Select(a => a.Document.Id == Refuse
                ? SearchModelFactory.IndexingResult(a.Document.Id, "Document is too large.", false, 400)
                : SearchModelFactory.IndexingResult(a.Document.Id, null, true, 200));
            return Task.FromResult(Response.FromValue(SearchModelFactory.IndexDocumentsResult(results), new TestResponse(207)));
        }

        public override Task<Response<SearchResults<T>>> SearchAsync<T>(string searchText, SearchOptions? options = null, CancellationToken cancellationToken = default)
        {
            Searched = options;
            var results = Hits.Select(h => SearchModelFactory.SearchResult((T)(object)PlayerSearchDocument.From(h.Document), h.Score, null));
            return Task.FromResult(Response.FromValue(SearchModelFactory.SearchResults(results, null, null, null, new TestResponse(200)), new TestResponse(200)));
        }

        public override Task<Response<T>> GetDocumentAsync<T>(string key, GetDocumentOptions? options = null, CancellationToken cancellationToken = default) =>
            Stored.Contains(key)
                ? Task.FromResult(Response.FromValue((T)(object)new PlayerSearchDocument { Id = key, GameId = "", UserId = "" }, new TestResponse(200)))
                : throw new RequestFailedException(404, "Not found");

        public override Task<Response<IndexDocumentsResult>> DeleteDocumentsAsync(string keyName, IEnumerable<string> keyValues, IndexDocumentsOptions? options = null, CancellationToken cancellationToken = default)
        {
            Assert.Equal("id", keyName);
            Deleted.AddRange(keyValues);
            return Task.FromResult(Response.FromValue(SearchModelFactory.IndexDocumentsResult([]), new TestResponse(200)));
        }
    }

    /// <summary>An index client whose one index is <see cref="Existing"/> (none: 404) and that records the definitions written.</summary>
    private sealed class FakeIndexClient : SearchIndexClient
    {
        public SearchIndex? Existing { get; set; }
        public List<SearchIndex> Written { get; } = [];

        public override Task<Response<SearchIndex>> GetIndexAsync(string indexName, CancellationToken cancellationToken = default) =>
            Existing is { } index && index.Name == indexName
                ? Task.FromResult(Response.FromValue(index, new TestResponse(200)))
                : throw new RequestFailedException(404, "No index");

        public override Task<Response<SearchIndex>> CreateOrUpdateIndexAsync(SearchIndex index, bool allowIndexDowntime = false, bool onlyIfUnchanged = false, CancellationToken cancellationToken = default)
        {
            Written.Add(index);
            return Task.FromResult(Response.FromValue(index, new TestResponse(201)));
        }
    }

    /// <summary>The raw response the SDK's model factories need beside a value.</summary>
    private sealed class TestResponse(int status) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => "";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";

        public override void Dispose() { }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, out string value)
        {
            value = "";
            return false;
        }

        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            values = [];
            return false;
        }
    }
}
