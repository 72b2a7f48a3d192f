using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GameSignals.Fraud;
using GameSignals.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Fraud;

/// <summary>
/// The fraud admin API: a game's fraud settings (read with their ETag, replaced with <c>If-Match</c>) and its flags
/// (searched, read, resolved or dismissed). Inputs are checked here; every refusal is a problem+json answer.
/// </summary>
public sealed partial class FraudAdminFunctions(IFraudConfigStore configs, IFlagStore flags, TimeProvider time)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;
    public const int MaxCommentLength = 4000;

    [Function("GetFraudConfig")]
    public async Task<IActionResult> GetConfigAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/fraud-config")] HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var stored = await configs.GetAsync(gameId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            return Problems.NotFound($"Game '{gameId}' has no fraud settings.");
        }

        request.HttpContext.Response.Headers.ETag = ETags.ToHeader(stored.ETag);
        return Json(stored.Config, FraudAdminJson.Default.GameFraudConfig);
    }

    /// <summary>
    /// Replaces the settings after validating them whole. <c>If-Match</c> is required once settings exist (428
    /// without it, 412 when stale); the first settings of a game may be written without it.
    /// </summary>
    [Function("PutFraudConfig")]
    public async Task<IActionResult> PutConfigAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "games/{gameId}/fraud-config")] HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var (config, problem) = await Problems.ReadJsonAsync(request, FraudAdminJson.Default.GameFraudConfig).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var problems = FraudConfigValidator.Validate(gameId, config!);
        if (problems.Count > 0)
        {
            var errors = problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
            return Problems.BadRequest($"The fraud settings have {problems.Count} problem(s); nothing was saved.", errors);
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        string? ifMatch = null;
        var ifMatchHeader = request.Headers.IfMatch.ToString();
        if (ifMatchHeader.Length == 0)
        {
            if (await configs.GetAsync(gameId, cancellationToken).ConfigureAwait(false) is not null)
            {
                return Problems.Create(StatusCodes.Status428PreconditionRequired, "If-Match is required.", "The game has fraud settings: send the ETag you read in If-Match.");
            }
        }
        else if (ifMatchHeader.Trim() == "*")
        {
            ifMatch = (await configs.GetAsync(gameId, cancellationToken).ConfigureAwait(false))?.ETag;
            if (ifMatch is null)
            {
                return Problems.PreconditionFailed($"Game '{gameId}' has no fraud settings to match '*'.");
            }
        }
        else if ((ifMatch = ETags.FromHeader(ifMatchHeader)) is null)
        {
            return Problems.PreconditionFailed("If-Match is not an ETag this API gave.");
        }

        var etag = await configs.SaveAsync(gameId, config!, ifMatch, cancellationToken).ConfigureAwait(false);
        if (etag is null)
        {
            return Problems.PreconditionFailed("The fraud settings changed since they were read; read them again and reapply the change.");
        }

        request.HttpContext.Response.Headers.ETag = ETags.ToHeader(etag);
        return Json(config!, FraudAdminJson.Default.GameFraudConfig);
    }

    [Function("ListFraudFlags")]
    public async Task<IActionResult> ListFlagsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/flags")] HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var query = new QueryParameters(request);
        var errors = query.Errors;
        var userId = query.Value("userId");
        var reason = query.Value("reason");
        if (reason is not null && !FraudReasons.DefaultSeverities.ContainsKey(reason))
        {
            errors["reason"] = ["must be one of " + string.Join(", ", FraudReasons.DefaultSeverities.Keys.Order(StringComparer.Ordinal))];
        }

        FlagStatus? status = query.Value("status") switch
        {
            null => null,
            "open" => FlagStatus.Open,
            "resolved" => FlagStatus.Resolved,
            "dismissed" => FlagStatus.Dismissed,
            _ => Invalid(errors, "status", "must be open, resolved or dismissed"),
        };
        var (from, to) = query.TimeRange();
        var pageSize = query.PageSize(DefaultPageSize, MaxPageSize);
        var continuation = query.Value("continuation");
        if (errors.Count > 0)
        {
            return Problems.BadRequest("The query parameters are not valid.", errors);
        }

        var flagQuery = new FlagQuery
        {
            GameId = gameId, UserId = userId, Reason = reason, Status = status, From = from, To = to, PageSize = pageSize, ContinuationToken = continuation,
        };
        FlagPage page;
        try
        {
            page = await flags.QueryAsync(flagQuery, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (continuation is not null)
        {
            return Problems.BadRequest("The continuation is not one this API gave for this game.", new Dictionary<string, string[]> { ["continuation"] = ["is not valid"] });
        }

        return Json(new FlagPageResponse(page.Flags, page.ContinuationToken), FraudAdminJson.Default.FlagPageResponse);
    }

    [Function("GetFraudFlag")]
    public async Task<IActionResult> GetFlagAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/flags/{flagId}")] HttpRequest request, string gameId, string flagId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? BadFlagId(flagId)) is { } bad)
        {
            return bad;
        }

        var flag = await flags.GetAsync(gameId, flagId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return flag is null ? Problems.NotFound($"Game '{gameId}' has no flag '{flagId}'.") : Json(flag, FraudAdminJson.Default.FraudFlag);
    }

    [Function("ResolveFraudFlag")]
    public Task<IActionResult> ResolveFlagAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "games/{gameId}/flags/{flagId}:resolve")] HttpRequest request, string gameId, string flagId) =>
        ReviewAsync(request, gameId, flagId, FlagStatus.Resolved);

    [Function("DismissFraudFlag")]
    public Task<IActionResult> DismissFlagAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "games/{gameId}/flags/{flagId}:dismiss")] HttpRequest request, string gameId, string flagId) =>
        ReviewAsync(request, gameId, flagId, FlagStatus.Dismissed);

    /// <summary>
    /// Records the review. A flag is reviewed once: a second resolve or dismiss answers 409 and keeps the first
    /// review (who decided and why must not be overwritten silently).
    /// </summary>
    private async Task<IActionResult> ReviewAsync(HttpRequest request, string gameId, string flagId, FlagStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? BadFlagId(flagId)) is { } bad)
        {
            return bad;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, FraudAdminJson.Default.FlagReviewRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Comment is { Length: > MaxCommentLength })
        {
            return Problems.BadRequest("The comment is too long.", new Dictionary<string, string[]> { ["comment"] = [$"may be at most {MaxCommentLength} characters"] });
        }

        var review = new FlagReview(status, body.Comment, Caller.NameOf(request), time.GetUtcNow());
        var flag = await flags.ReviewAsync(gameId, flagId, review, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (flag is null)
        {
            return Problems.NotFound($"Game '{gameId}' has no flag '{flagId}'.");
        }

        // The store reviews only an open flag; a flag that an earlier review closed comes back as that review left it.
        return flag.Status == review.Status && flag.ResolvedBy == review.By && flag.ResolvedAt == review.At && flag.Comment == review.Comment
            ? Json(flag, FraudAdminJson.Default.FraudFlag)
            : Problems.Conflict($"The flag was already {Status(flag.Status)} by {flag.ResolvedBy} at {flag.ResolvedAt:O}.");
    }

    private static string Status(FlagStatus status) => JsonSerializer.Serialize(status, FraudAdminJson.Default.FlagStatus).Trim('"');

    /// <summary>Flag ids are <see cref="FraudFlag.IdFor"/>'s 32 lowercase hex digits.</summary>
    private static ObjectResult? BadFlagId(string flagId) =>
        flagId is { Length: 32 } && flagId.All(char.IsAsciiHexDigitLower)
            ? null
            : Problems.BadRequest("The flag id is not valid.", new Dictionary<string, string[]> { ["flagId"] = ["must be 32 lowercase hexadecimal digits"] });

    private static FlagStatus? Invalid(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return null;
    }

    private static ContentResult Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new() { Content = JsonSerializer.Serialize(value, typeInfo), ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
