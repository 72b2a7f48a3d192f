using System.Globalization;
using GameSignals.Functions.Http;
using GameSignals.Profiles;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Profiles;

/// <summary>
/// Admin similarity queries over the profile index:
/// <c>POST /api/games/{gameId}/players/similar</c> (players like these examples) and
/// <c>GET /api/games/{gameId}/players/{userId}/peers?k=</c> (where a player stands among the k most like them).
/// </summary>
/// <remarks>
/// Errors are problem+json: a bad parameter 400 (naming it), unknown players 404, and a game without
/// statistics yet 409 (the game exists but is not ready: the same request succeeds after the next
/// renormalisation, which is what 409 tells a client, where 404 would say the game is unknown).
/// </remarks>
public sealed class SimilarityFunctions(SimilarityService similarity)
{
    public const int DefaultK = 10;

    [Function("ProfilesSimilar")]
    public async Task<IActionResult> SimilarAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "games/{gameId}/players/similar")] HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, problem) = await Problems.ReadJsonAsync(request, ProfilesHttpJson.Default.SimilarRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var filter = body!.Filters?.ToFilter(gameId) ?? new PlayerFilter(gameId);
        return await AnswerAsync(async ct =>
        {
            var players = await similarity.FindSimilarAsync(body.Examples ?? [], body.K ?? DefaultK, filter, ct).ConfigureAwait(false);
            return new SimilarResponse(gameId, [.. players.Select(PlayerResult.From)]);
        }, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    [Function("ProfilesPeers")]
    public async Task<IActionResult> PeersAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/players/{userId}/peers")] HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var k = DefaultK;
        if (request.Query.TryGetValue("k", out var values)
            && !int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out k))
        {
            return Invalid("k", $"k must be a whole number between 1 and {SimilarityService.MaxK}, was '{values}'.");
        }

        return await AnswerAsync(async ct =>
        {
            var comparison = await similarity.ComparePeersAsync(userId, k, new PlayerFilter(gameId), ct).ConfigureAwait(false);
            return new PeersResponse(
                comparison.GameId,
                comparison.UserId,
                [.. comparison.Peers.Select(PlayerResult.From)],
                [.. comparison.Features.Select(FeatureResult.From)]);
        }, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Runs a query and maps the similarity service's request errors to problem responses.</summary>
    private static async Task<IActionResult> AnswerAsync<T>(Func<CancellationToken, ValueTask<T>> query, CancellationToken cancellationToken)
    {
        try
        {
            var result = await query(cancellationToken).ConfigureAwait(false);
            return new JsonResult(result, ProfilesHttpJson.Default.Options);
        }
        catch (InvalidSimilarityRequestException ex)
        {
            return Invalid(ex.Parameter, ex.Message);
        }
        catch (UnknownPlayersException ex)
        {
            return Problems.NotFound(ex.Message);
        }
        catch (SimilarityNotReadyException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static ObjectResult Invalid(string parameter, string detail) =>
        Problems.BadRequest(detail, new Dictionary<string, string[]>(StringComparer.Ordinal) { [parameter] = [detail] });
}
