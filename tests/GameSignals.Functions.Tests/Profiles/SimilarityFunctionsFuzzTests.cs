using System.Text;
using FsCheck.Xunit;
using GameSignals.Functions.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Profiles;

/// <summary>The similarity queries under hostile input: players, or a refusal; they never write.</summary>
public sealed class SimilarityFunctionsFuzzTests
{
    private static readonly byte[] ValidQuery = Encoding.UTF8.GetBytes("""
        { "examples": ["odin-3", "odin-4"], "k": 5,
          "filters": { "server": "kr-01", "minLevel": 1, "maxLevel": 100, "platform": "pc", "lastSeenFrom": "2026-01-01T00:00:00Z", "lastSeenTo": "2027-01-01T00:00:00Z" } }
        """);

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Similar_players_are_answered_or_refused(RouteValue game, HostileBody body)
    {
        await using var app = await ProfilesApp.ReadyAsync();
        var gameId = game.Or("odin");

        await AssertReadOnlyAsync(app, gameId, () => app.Similarity.SimilarAsync(Request(body.For(ValidQuery), body.DeclaresLength), gameId), game.Hostile is null && body.IsValid);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Peers_are_answered_or_refused(RouteValue game, RouteValue user, QueryValue k)
    {
        await using var app = await ProfilesApp.ReadyAsync();
        var (gameId, userId) = (game.Or("odin"), user.Or("odin-3"));
        var query = k.Query("k");

        await AssertReadOnlyAsync(app, gameId, () => app.Similarity.PeersAsync(Request(query: query.Length == 0 ? null : "?" + query[1..]), gameId, userId),
            game.Hostile is null && user.Hostile is null && k.IsValid);
    }

    private static async Task AssertReadOnlyAsync(ProfilesApp app, string gameId, Func<Task<IActionResult>> send, bool valid)
    {
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(await send(), [StatusCodes.Status200OK]);

        Assert.True(!valid || status == StatusCodes.Status200OK, $"A valid query was answered {status}.");
        Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
    }
}
