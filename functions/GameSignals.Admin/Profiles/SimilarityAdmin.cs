using GameSignals.Admin.Http;
using GameSignals.Profiles;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Profiles;

/// <summary>
/// Similarity queries over the profile index: players like these examples, and where a player stands among the
/// k most like them.
/// </summary>
/// <remarks>
/// Errors are problem+json: a bad parameter 400 (naming it), unknown players 404, and a game without
/// statistics yet 409 (the game exists but is not ready: the same request succeeds after the next
/// renormalisation, which is what 409 tells a client, where 404 would say the game is unknown).
/// </remarks>
public sealed class SimilarityAdmin(SimilarityService similarity)
{
    public const int DefaultK = 10;

    public async Task<IActionResult> SimilarAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, ProfilesAdminJson.Default.SimilarRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var filter = body!.Filters?.ToFilter(gameId) ?? new PlayerFilter(gameId);
        return await AnswerAsync(async ct =>
        {
            var players = await similarity.FindSimilarAsync(body.Examples ?? [], body.K ?? DefaultK, filter, ct).ConfigureAwait(false);
            return AdminJson.Write(new SimilarResponse(gameId, [.. players.Select(PlayerResult.From)]), ProfilesAdminJson.Default.SimilarResponse);
        }, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    public async Task<IActionResult> PeersAsync(HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId)) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var k = query.WholeNumber("k", DefaultK, 1, SimilarityService.MaxK);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        return await AnswerAsync(async ct =>
        {
            var comparison = await similarity.ComparePeersAsync(userId, k, new PlayerFilter(gameId), ct).ConfigureAwait(false);
            var response = new PeersResponse(
                comparison.GameId,
                comparison.UserId,
                [.. comparison.Peers.Select(PlayerResult.From)],
                [.. comparison.Features.Select(FeatureResult.From)]);
            return AdminJson.Write(response, ProfilesAdminJson.Default.PeersResponse);
        }, request.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Runs a query and maps the similarity service's request errors to problem responses.</summary>
    private static async Task<IActionResult> AnswerAsync(Func<CancellationToken, ValueTask<IActionResult>> query, CancellationToken cancellationToken)
    {
        try
        {
            return await query(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidSimilarityRequestException ex)
        {
            return Problems.Invalid(ex.Parameter, ex.Message, ex.Message);
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
}
