using GameSignals.Profiles;

namespace GameSignals.Tests.Profiles;

public sealed class PlayerIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Servers = ["kr-01", "kr-02"];

    public static TheoryData<string> Indexes => new() { "exact", "approximate" };

    private static IPlayerIndex Create(string kind) => kind == "exact" ? new ExactPlayerIndex() : new ApproximatePlayerIndex(exactUpTo: 0);

    /// <summary>Random players; every third in game "ares".</summary>
    internal static List<PlayerDocument> RandomPlayers(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new PlayerDocument(
            i % 3 == 0 ? "ares" : "odin", $"p{i:D5}", Servers[i % 2], random.Next(1, 80),
            ProfileFeatures.Platforms[i % 3 == 1 ? 1 : random.Next(3)], Start.AddHours(random.Next(0, 24 * 30)),
            [.. Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))]))];
    }

    private static List<string> Naive(List<PlayerDocument> players, float[] query, int k, PlayerFilter filter) =>
        [.. players.Where(filter.Matches)
            .Select(p => (p.UserId, Score: Dot(query, p.Vector) / (Norm(query) * Norm(p.Vector))))
            .OrderByDescending(p => p.Score).ThenBy(p => p.UserId, StringComparer.Ordinal).Take(k).Select(p => p.UserId)];

    private static double Dot(float[] x, float[] y) => x.Zip(y, (a, b) => (double)a * b).Sum();

    private static double Norm(float[] x) => Math.Sqrt(Dot(x, x));

    [Fact]
    public async Task Exact_search_returns_what_a_naive_cosine_ranking_returns()
    {
        var players = RandomPlayers(600, 16, seed: 1);
        var index = new ExactPlayerIndex();
        await index.UpsertAsync(players, CancellationToken.None);
        var random = new Random(2);

        for (var q = 0; q < 20; q++)
        {
            var query = players[random.Next(players.Count)].Vector;
            var filter = new PlayerFilter("odin");
            var hits = await index.SearchAsync(query, 10, filter, CancellationToken.None);

            Assert.Equal(Naive(players, query, 10, filter), hits.Select(h => h.Document.UserId));
            Assert.Equal(hits.Select(h => h.Score).OrderDescending(), hits.Select(h => h.Score));
            Assert.Equal(Dot(query, hits[0].Document.Vector) / (Norm(query) * Norm(hits[0].Document.Vector)), hits[0].Score, 5);
        }
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task Filters_on_game_server_level_platform_and_last_seen_all_apply(string kind)
    {
        var players = RandomPlayers(450, 16, seed: 3);
        var index = Create(kind);
        await index.UpsertAsync(players, CancellationToken.None);
        var filter = new PlayerFilter("odin")
        {
            Server = "kr-02", MinLevel = 20, MaxLevel = 60, Platform = "android",
            LastSeenFrom = Start.AddDays(5), LastSeenTo = Start.AddDays(25),
        };
        var query = players[1].Vector;

        var hits = await index.SearchAsync(query, 10, filter, CancellationToken.None);

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.True(
            h.Document is { GameId: "odin", Server: "kr-02", Level: >= 20 and <= 60, Platform: "android" }
            && h.Document.LastSeen >= Start.AddDays(5) && h.Document.LastSeen <= Start.AddDays(25), h.Document.ToString()));
        Assert.Equal(Naive(players, query, 10, filter), hits.Select(h => h.Document.UserId)); // few matches: the HNSW walk widens to all
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task An_upsert_replaces_a_player_and_a_delete_removes_them(string kind)
    {
        var index = Create(kind);
        var near = new PlayerDocument("odin", "a", "kr-01", 10, "pc", Start, [1, 0, 0]);
        await index.UpsertAsync([near, near with { UserId = "b", Vector = [0, 1, 0] }], CancellationToken.None);

        var results = await index.UpsertAsync([near with { Vector = [0, 0, 1] }], CancellationToken.None);
        var afterUpdate = await index.SearchAsync(new float[] { 1, 0, 0 }, 5, new PlayerFilter("odin"), CancellationToken.None);
        var deleted = await index.DeleteAsync("odin", "b", CancellationToken.None);
        var afterDelete = await index.SearchAsync(new float[] { 0, 1, 0 }, 5, new PlayerFilter("odin"), CancellationToken.None);

        Assert.True(results.Single().Succeeded);
        Assert.Equal(2, afterUpdate.Count);
        Assert.Equal(0, afterUpdate.Single(h => h.Document.UserId == "a").Score, 6);
        Assert.True(deleted);
        Assert.False(await index.DeleteAsync("odin", "b", CancellationToken.None));
        Assert.Equal(["a"], afterDelete.Select(h => h.Document.UserId));
    }

    [Fact]
    public async Task Approximate_search_finds_at_least_95_percent_of_the_exact_top_ten_over_20k_profiles()
    {
        var players = RandomPlayers(20_000, ProfileFeatures.VectorLength, seed: 4);
        var exact = new ExactPlayerIndex();
        using var approximate = new ApproximatePlayerIndex(exactUpTo: 0);
        await exact.UpsertAsync(players, CancellationToken.None);
        await approximate.UpsertAsync(players, CancellationToken.None);
        var random = new Random(5);

        var found = 0;
        const int queries = 200;
        for (var q = 0; q < queries; q++)
        {
            var query = players[random.Next(players.Count)].Vector.Select(x => x + (float)(random.NextDouble() * 0.1)).ToArray();
            var truth = (await exact.SearchAsync(query, 10, new PlayerFilter("odin"), CancellationToken.None)).Select(h => h.Document.UserId).ToHashSet();
            found += (await approximate.SearchAsync(query, 10, new PlayerFilter("odin"), CancellationToken.None)).Count(h => truth.Contains(h.Document.UserId));
        }

        var recall = found / (queries * 10.0);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public async Task A_game_switches_to_the_graph_past_the_threshold_and_keeps_replacements_and_deletes()
    {
        var players = RandomPlayers(300, 8, seed: 6).Where(p => p.GameId == "odin").ToList();
        using var index = new ApproximatePlayerIndex(exactUpTo: 50);
        await index.UpsertAsync(players.Take(40).ToList(), CancellationToken.None);
        Assert.True(await index.DeleteAsync("odin", players[0].UserId, CancellationToken.None));
        await index.UpsertAsync(players.Skip(40).ToList(), CancellationToken.None);

        // After the switch: a replaced vector is found at its new place, not its old one, and a deleted player is gone.
        var moved = players[1] with { Vector = [.. players[2].Vector.Select(x => -x)] };
        await index.UpsertAsync([moved], CancellationToken.None);
        var nearMoved = await index.SearchAsync(moved.Vector, 1, new PlayerFilter("odin"), CancellationToken.None);
        Assert.Equal(moved.UserId, Assert.Single(nearMoved).Document.UserId);
        var nearOld = await index.SearchAsync(players[1].Vector, 5, new PlayerFilter("odin"), CancellationToken.None);
        Assert.DoesNotContain(nearOld, h => h.Document.UserId == moved.UserId && h.Score > 0.999);
        var nearDeleted = await index.SearchAsync(players[0].Vector, 10, new PlayerFilter("odin"), CancellationToken.None);
        Assert.DoesNotContain(nearDeleted, h => h.Document.UserId == players[0].UserId);
        Assert.True(await index.DeleteAsync("odin", players[3].UserId, CancellationToken.None));
        Assert.False(await index.DeleteAsync("odin", players[3].UserId, CancellationToken.None));
        var all = await index.SearchAsync(players[3].Vector, players.Count, new PlayerFilter("odin"), CancellationToken.None);
        Assert.Equal(players.Count - 2, all.Count);
    }

    [Fact]
    public async Task A_vector_of_the_wrong_length_is_refused_per_document()
    {
        using var index = new ApproximatePlayerIndex(exactUpTo: 0);
        await index.UpsertAsync([new PlayerDocument("odin", "a", null, 1, null, Start, [1, 0, 0])], CancellationToken.None);

        var results = await index.UpsertAsync(
            [new PlayerDocument("odin", "b", null, 1, null, Start, [1, 0]), new PlayerDocument("odin", "c", null, 1, null, Start, [0, 1, 0])], CancellationToken.None);

        Assert.False(results[0].Succeeded);
        Assert.NotNull(results[0].Error);
        Assert.True(results[1].Succeeded);
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task A_player_exactly_at_the_median_scores_zero_not_nan(string kind)
    {
        var index = Create(kind);
        await index.UpsertAsync(
            [new PlayerDocument("odin", "median", null, 1, null, Start, new float[3]), new PlayerDocument("odin", "b", null, 1, null, Start, [1, 0, 0])],
            CancellationToken.None);

        var hits = await index.SearchAsync(new float[] { 1, 0, 0 }, 5, new PlayerFilter("odin"), CancellationToken.None);

        Assert.Equal(0, hits.Single(h => h.Document.UserId == "median").Score);
        Assert.Equal("b", hits[0].Document.UserId);
    }
}
