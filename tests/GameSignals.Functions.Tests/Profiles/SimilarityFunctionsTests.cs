using System.Text.Json;
using GameSignals.Admin.Profiles;
using GameSignals.Profiles;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Tests.Profiles;

public sealed class SimilarityFunctionsTests
{
    [Fact]
    public async Task Similar_players_come_best_first_without_the_examples_and_with_the_features_they_share()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var body = Ok<SimilarResponse>(await PostAsync(app, "odin", """{ "examples": ["odin-10", "odin-11"], "k": 4 }"""));

        Assert.Equal("odin", body.GameId);
        Assert.Equal(4, body.Players.Count);
        Assert.DoesNotContain(body.Players, p => p.UserId is "odin-10" or "odin-11");
        Assert.Equal(body.Players.Select(p => p.Score).OrderDescending(), body.Players.Select(p => p.Score));
        // Level, spend and purchases grow with the player number: the closest players are numbered next to the examples,
        // and those high values are what they share with them.
        Assert.True(body.Players[0].UserId is "odin-9" or "odin-8" or "odin-7", body.Players[0].UserId);
        var names = ProfileFeatures.Numeric.Select(f => f.Name).ToHashSet();
        Assert.All(body.Players.SelectMany(p => p.SharedFeatures), f => Assert.Contains(f.Feature, names));
        Assert.Contains(body.Players[0].SharedFeatures, f => f.Feature is "level" or "spend" or "purchases");
    }

    [Fact]
    public async Task Every_filter_narrows_the_similar_players()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var body = Ok<SimilarResponse>(await PostAsync(app, "odin", """
            { "examples": ["odin-1"], "k": 100,
              "filters": { "server": "kr-01", "minLevel": 10, "maxLevel": 50, "platform": "pc", "lastSeenFrom": "2026-11-19T00:00:00Z", "lastSeenTo": "2026-11-20T12:00:00Z" } }
            """));

        Assert.NotEmpty(body.Players);
        Assert.All(body.Players, p =>
        {
            Assert.Equal(("kr-01", "pc"), (p.Server, p.Platform));
            Assert.InRange(p.Level, 10, 50);
            Assert.InRange(p.LastSeen, DateTimeOffset.Parse("2026-11-19T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), ProfilesApp.Now);
        });
    }

    [Fact]
    public async Task K_defaults_to_ten_and_the_answer_is_camel_case_JSON()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var result = await PostAsync(app, "odin", """{ "examples": ["odin-0"] }""");

        Assert.Equal(10, Ok<SimilarResponse>(result).Players.Count);
        using var json = JsonDocument.Parse(Assert.IsType<ContentResult>(result).Content!);
        var first = json.RootElement.GetProperty("players")[0];
        Assert.Equal(JsonValueKind.Number, first.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.String, first.GetProperty("sharedFeatures")[0].GetProperty("feature").ValueKind);
        Assert.Equal(JsonValueKind.String, first.GetProperty("userId").ValueKind);
    }

    [Theory]
    [InlineData("""{ "examples": ["odin-1"], "k": 0 }""", "k")]
    [InlineData("""{ "examples": ["odin-1"], "k": 101 }""", "k")]
    [InlineData("""{ "k": 5 }""", "examples")]
    [InlineData("""{ "examples": [] }""", "examples")]
    [InlineData("""{ "examples": [""] }""", "examples")]
    [InlineData("""{ "examples": ["odin-1"], "filters": { "platform": "switch" } }""", "platform")]
    [InlineData("""{ "examples": ["odin-1"], "filters": { "minLevel": 30, "maxLevel": 10 } }""", "level")]
    [InlineData("""{ "examples": ["odin-1"], "filters": { "minLevel": -1 } }""", "level")]
    [InlineData("""{ "examples": ["odin-1"], "filters": { "lastSeenFrom": "2026-11-20T00:00:00Z", "lastSeenTo": "2026-11-01T00:00:00Z" } }""", "lastSeen")]
    public async Task An_invalid_parameter_is_a_400_problem_naming_it(string body, string parameter)
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var problem = AdminHttp.Problem(await PostAsync(app, "odin", body), StatusCodes.Status400BadRequest);

        Assert.Contains(parameter, Assert.IsType<ValidationProblemDetails>(problem).Errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{ "examples": ["odin-1"] """)]
    [InlineData("""{ "examples": "odin-1" }""")]
    [InlineData("""{ "examples": ["odin-1"], "k": "ten" }""")]
    [InlineData("""{ "examples": ["odin-1"], "filters": { "lastSeenFrom": "yesterday" } }""")]
    [InlineData("""{ "examples": ["odin-1"], "filter": { "server": "kr-01" } }""")]
    public async Task A_body_that_is_not_a_similarity_request_is_a_400_problem(string body)
    {
        await using var app = await ProfilesApp.ReadyAsync();

        AdminHttp.Problem(await PostAsync(app, "odin", body), StatusCodes.Status400BadRequest);
    }

    [Fact]
    public async Task Unknown_examples_are_a_404_problem_naming_them()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var problem = AdminHttp.Problem(await PostAsync(app, "odin", """{ "examples": ["odin-1", "ghost"] }"""), StatusCodes.Status404NotFound);

        Assert.Contains("ghost", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("odin-1", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_game_without_statistics_yet_is_a_409_problem()
    {
        await using var app = ProfilesApp.Create();
        await app.AddPlayersAsync("odin", 5);

        var problem = AdminHttp.Problem(await PostAsync(app, "odin", """{ "examples": ["odin-1"] }"""), StatusCodes.Status409Conflict);

        Assert.Contains("renormalisation", problem.Detail, StringComparison.Ordinal);
        AdminHttp.Problem(await GetPeersAsync(app, "odin", "odin-1", "?k=3"), StatusCodes.Status409Conflict);
    }

    [Fact]
    public async Task Peers_give_the_player_a_percentile_and_peer_median_on_every_feature()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var body = Ok<PeersResponse>(await GetPeersAsync(app, "odin", "odin-11", "?k=5"));

        Assert.Equal(("odin", "odin-11"), (body.GameId, body.UserId));
        Assert.Equal(5, body.Peers.Count);
        Assert.DoesNotContain(body.Peers, p => p.UserId == "odin-11");
        Assert.Equal(ProfileFeatures.Numeric.Select(f => f.Name), body.Features.Select(f => f.Feature));
        // odin-11 has the highest level of the game, so it tops its peers on level.
        var level = body.Features.Single(f => f.Feature == "level");
        Assert.Equal((56.0, 100.0), (level.Value, level.Percentile));
        Assert.All(body.Features, f => Assert.InRange(f.Percentile!.Value, 0, 100));
    }

    [Fact]
    public async Task Peers_default_to_ten()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        Assert.Equal(10, Ok<PeersResponse>(await GetPeersAsync(app, "odin", "odin-0", "")).Peers.Count);
    }

    [Theory]
    [InlineData("?k=abc")]
    [InlineData("?k=0")]
    [InlineData("?k=101")]
    [InlineData("?k=-3")]
    [InlineData("?k=5&k=6")]
    public async Task A_bad_k_for_peers_is_a_400_problem_naming_k(string query)
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var problem = AdminHttp.Problem(await GetPeersAsync(app, "odin", "odin-1", query), StatusCodes.Status400BadRequest);

        Assert.Contains("k", Assert.IsType<ValidationProblemDetails>(problem).Errors.Keys);
    }

    [Fact]
    public async Task Peers_of_an_unknown_player_are_a_404_problem()
    {
        await using var app = await ProfilesApp.ReadyAsync();

        var problem = AdminHttp.Problem(await GetPeersAsync(app, "odin", "ghost", "?k=3"), StatusCodes.Status404NotFound);

        Assert.Contains("ghost", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Players_of_another_game_are_unknown_here()
    {
        await using var app = await ProfilesApp.ReadyAsync();
        await app.AddPlayersAsync("ares", 3);
        await app.Indexer.RefreshGameAsync("ares", CancellationToken.None);

        AdminHttp.Problem(await PostAsync(app, "odin", """{ "examples": ["ares-1"] }"""), StatusCodes.Status404NotFound);
        var body = Ok<SimilarResponse>(await PostAsync(app, "ares", """{ "examples": ["ares-1"], "k": 100 }"""));
        Assert.All(body.Players, p => Assert.StartsWith("ares-", p.UserId, StringComparison.Ordinal));
    }

    private static Task<IActionResult> PostAsync(ProfilesApp app, string gameId, string body)
    {
        return app.Similarity.SimilarAsync(AdminHttp.Request(body, method: "POST"), gameId);
    }

    private static Task<IActionResult> GetPeersAsync(ProfilesApp app, string gameId, string userId, string query)
    {
        return app.Similarity.PeersAsync(AdminHttp.Request(query: query), gameId, userId);
    }

    private static T Ok<T>(IActionResult result)
    {
        var json = Assert.IsType<ContentResult>(result);
        Assert.Equal(StatusCodes.Status200OK, json.StatusCode);
        return JsonSerializer.Deserialize<T>(json.Content!, JsonSerializerOptions.Web)!;
    }
}
