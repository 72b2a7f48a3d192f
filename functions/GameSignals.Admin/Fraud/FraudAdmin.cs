using System.Text.Json;
using GameSignals.Admin.Access;
using GameSignals.Admin.Http;
using GameSignals.Fraud;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Fraud;

/// <summary>
/// The fraud admin API: a game's fraud settings (read with their ETag, replaced under the If-Match policy of
/// <see cref="ETags"/>) and its flags (searched, read, resolved or dismissed).
/// </summary>
public sealed class FraudAdmin(IFraudConfigStore configs, IFlagStore flags, TimeProvider time)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;
    public const int MaxCommentLength = 4000;

    public async Task<IActionResult> GetConfigAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var stored = await configs.GetAsync(gameId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return stored is null
            ? Problems.NotFound($"Game '{gameId}' has no fraud settings.")
            : AdminJson.WriteVersioned(request, stored.ETag, stored.Config, FraudAdminJson.Default.GameFraudConfig);
    }

    /// <summary>Replaces the settings after validating them whole.</summary>
    public async Task<IActionResult> PutConfigAsync(HttpRequest request, string gameId)
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
        var current = await configs.GetAsync(gameId, cancellationToken).ConfigureAwait(false);
        var precondition = ETags.ForWrite(request, current?.ETag, $"The fraud settings of game '{gameId}'");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        var etag = await configs.SaveAsync(gameId, config!, precondition.ETag, cancellationToken).ConfigureAwait(false);
        return etag is null
            ? Problems.PreconditionFailed("The fraud settings changed since they were read; read them again and reapply the change.")
            : AdminJson.WriteVersioned(request, etag, config!, FraudAdminJson.Default.GameFraudConfig);
    }

    public async Task<IActionResult> ListFlagsAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var query = new QueryParameters(request);
        var errors = query.Errors;
        var userId = query.Value("userId");
        if (userId is not null && !Ids.IsExternalId(userId))
        {
            errors["userId"] = [Ids.ExternalIdRule];
        }

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
        var paging = query.Paging(DefaultPageSize, MaxPageSize);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        var flagQuery = new FlagQuery
        {
            GameId = gameId, UserId = userId, Reason = reason, Status = status, From = from, To = to, PageSize = paging.PageSize, ContinuationToken = paging.Continuation,
        };
        FlagPage page;
        try
        {
            page = await flags.QueryAsync(flagQuery, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (paging.Continuation is not null)
        {
            return QueryParameters.InvalidContinuation();
        }

        return AdminJson.Write(new FlagPageResponse(page.Flags, page.ContinuationToken), FraudAdminJson.Default.FlagPageResponse);
    }

    public async Task<IActionResult> GetFlagAsync(HttpRequest request, string gameId, string flagId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, flagId) is { } bad)
        {
            return bad;
        }

        var flag = await flags.GetAsync(gameId, flagId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return flag is null ? NoSuchFlag(gameId, flagId) : AdminJson.Write(flag, FraudAdminJson.Default.FraudFlag);
    }

    public Task<IActionResult> ResolveFlagAsync(HttpRequest request, string gameId, string flagId) => ReviewAsync(request, gameId, flagId, FlagStatus.Resolved);

    public Task<IActionResult> DismissFlagAsync(HttpRequest request, string gameId, string flagId) => ReviewAsync(request, gameId, flagId, FlagStatus.Dismissed);

    /// <summary>
    /// Records the review. A flag is reviewed once: a second resolve or dismiss answers 409 and keeps the first
    /// review (who decided and why must not be overwritten silently).
    /// </summary>
    private async Task<IActionResult> ReviewAsync(HttpRequest request, string gameId, string flagId, FlagStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, flagId) is { } bad)
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
            return Problems.Invalid("comment", $"may be at most {MaxCommentLength} characters", "The comment is too long.");
        }

        var review = new FlagReview(status, body.Comment, AdminCaller.NameOf(request), time.GetUtcNow());
        var flag = await flags.ReviewAsync(gameId, flagId, review, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (flag is null)
        {
            return NoSuchFlag(gameId, flagId);
        }

        // The store reviews only an open flag; a flag that an earlier review closed comes back as that review left it.
        return flag.Status == review.Status && flag.ResolvedBy == review.By && flag.ResolvedAt == review.At && flag.Comment == review.Comment
            ? AdminJson.Write(flag, FraudAdminJson.Default.FraudFlag)
            : Problems.Conflict($"The flag was already {Status(flag.Status)} by {flag.ResolvedBy} at {flag.ResolvedAt:O}.");
    }

    private static string Status(FlagStatus status) => JsonSerializer.Serialize(status, FraudAdminJson.Default.FlagStatus).Trim('"');

    private static ObjectResult? CheckRoute(string gameId, string flagId) =>
        RouteIds.External(nameof(gameId), gameId) ?? RouteIds.Resource(nameof(flagId), flagId);

    private static ObjectResult NoSuchFlag(string gameId, string flagId) => Problems.NotFound($"Game '{gameId}' has no flag '{flagId}'.");

    private static FlagStatus? Invalid(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return null;
    }
}
