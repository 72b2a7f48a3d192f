using GameSignals.Functions.Profiles;
using GameSignals.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Tests.Profiles;

public sealed class ProfilesRenormalizeFunctionTests
{
    [Fact]
    public async Task Each_configured_game_gets_statistics_and_every_player_becomes_searchable()
    {
        await using var app = ProfilesApp.Create(games: "odin, ares");
        await app.AddPlayersAsync("odin", 5);
        await app.AddPlayersAsync("ares", 3);

        await app.Renormalizer.RenormalizeAsync(CancellationToken.None);

        Assert.Equal(5, (await app.Statistics.GetAsync("odin", CancellationToken.None))?.Players);
        Assert.Equal(3, (await app.Statistics.GetAsync("ares", CancellationToken.None))?.Players);
        var hits = await app.Index.SearchAsync(Enumerable.Repeat(1f, ProfileFeatures.VectorLength).ToArray(), 100, new PlayerFilter("odin"), CancellationToken.None);
        Assert.Equal(5, hits.Count);
    }

    [Fact]
    public async Task A_game_that_is_not_configured_is_left_alone()
    {
        await using var app = ProfilesApp.Create(games: "odin");
        await app.AddPlayersAsync("odin", 2);
        await app.AddPlayersAsync("zeus", 2);

        await app.Renormalizer.RenormalizeAsync(CancellationToken.None);

        Assert.Null(await app.Statistics.GetAsync("zeus", CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_game_does_not_stop_the_next_one_and_the_run_still_fails()
    {
        await using var app = ProfilesApp.Create(games: "broken,odin", index: new RefusingIndex("broken"));
        await app.AddPlayersAsync("broken", 2);
        await app.AddPlayersAsync("odin", 2);

        var error = await Assert.ThrowsAsync<AggregateException>(() => app.Renormalizer.RenormalizeAsync(CancellationToken.None));

        Assert.IsType<ProfileIndexingException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(2, (await app.Statistics.GetAsync("odin", CancellationToken.None))?.Players);
    }

    [Fact]
    public void The_games_setting_is_a_comma_separated_list()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Profiles:Games"] = " odin,, ares ,odin" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddProfilesFunctions(configuration).BuildServiceProvider();

        Assert.Equal(["odin", "ares"], provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<RenormalizeOptions>>().Value.GameIds);
    }

    /// <summary>An index that refuses every document of one game, as AI Search answers per document.</summary>
    private sealed class RefusingIndex(string gameId) : IPlayerIndex
    {
        private readonly ExactPlayerIndex _inner = new();

        public ValueTask<IReadOnlyList<IndexingResult>> UpsertAsync(IReadOnlyList<PlayerDocument> documents, CancellationToken cancellationToken) =>
            documents.Any(d => d.GameId == gameId)
                ? ValueTask.FromResult<IReadOnlyList<IndexingResult>>([.. documents.Select(d => new IndexingResult(d.GameId, d.UserId, false, "refused"))])
                : _inner.UpsertAsync(documents, cancellationToken);

        public ValueTask<bool> DeleteAsync(string gameId, string userId, CancellationToken cancellationToken) => _inner.DeleteAsync(gameId, userId, cancellationToken);

        public ValueTask<IReadOnlyList<PlayerHit>> SearchAsync(ReadOnlyMemory<float> vector, int k, PlayerFilter filter, CancellationToken cancellationToken) =>
            _inner.SearchAsync(vector, k, filter, cancellationToken);
    }
}
