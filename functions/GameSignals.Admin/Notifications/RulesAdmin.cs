using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using GameSignals.Admin.Access;
using GameSignals.Admin.Http;
using GameSignals.Events;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace GameSignals.Admin.Notifications;

/// <summary>
/// The admin API of a game's notification rules: list, read, write (validated by the rule compiler, under the
/// If-Match policy of <see cref="ETags"/>), delete, promote a shadow rule, each change kept in the rule's history;
/// and a dry run (<see cref="RuleDryRun"/>) over sample events that writes nothing.
/// </summary>
public sealed partial class RulesAdmin(IRuleStore rules, RuleEditor editor, IRuleHistoryStore history, IPlayerLocaleStore locales, ILogger<RulesAdmin> logger)
{
    public const int DefaultHistoryPageSize = 20;
    public const int MaxHistoryPageSize = 100;

    /// <summary>Most events one dry run takes.</summary>
    public const int MaxTestEvents = 100;

    public async Task<IActionResult> ListAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } invalid)
        {
            return invalid;
        }

        var stored = await rules.ListAsync(gameId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminJson.Write(new RulesDocument([.. stored.Select(r => r.Rule)]), NotificationsJsonContext.Default.RulesDocument);
    }

    public async Task<IActionResult> GetAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        return await rules.GetAsync(gameId, ruleId, request.HttpContext.RequestAborted).ConfigureAwait(false) is { } stored
            ? Written(request, stored)
            : NoSuchRule(gameId, ruleId);
    }

    public async Task<IActionResult> PutAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, NotificationsJsonContext.Default.NotificationRule).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (Validate(body!, gameId, ruleId, "$", out var rule) is { } refused)
        {
            return refused;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var current = await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false);
        var precondition = ETags.ForWrite(request, current?.ETag, $"Rule {ruleId} of game {gameId}");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        var caller = AdminCaller.NameOf(request);
        var result = await editor.SaveAsync(rule, precondition.ETag, caller, cancellationToken).ConfigureAwait(false);
        if (result.Status == RuleEditStatus.Invalid)
        {
            var field = result.Problem!;
            return Problems.BadRequest($"The rule is not valid: {field}", new Dictionary<string, string[]>(StringComparer.Ordinal) { [field.Field[2..]] = [Describe(field)] });
        }

        if (result.Status != RuleEditStatus.Done)
        {
            return Changed(gameId, ruleId);
        }

        LogRuleWritten(gameId, ruleId, caller);
        return Written(request, result.Stored!);
    }

    /// <summary>
    /// Makes a shadow rule active: a candidate replaces the active rule it names (which keeps its id) and is deleted;
    /// a shadow rule without <c>shadowOf</c> becomes active in place. Answers the active rule. An action on the rule's
    /// state, not a replacement: If-Match is optional (when given, it must name the candidate's version).
    /// </summary>
    public async Task<IActionResult> PromoteAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        string? ifMatch = null;
        if (!string.IsNullOrWhiteSpace(request.Headers.IfMatch.ToString()))
        {
            var current = await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return NoSuchRule(gameId, ruleId);
            }

            var precondition = ETags.ForWrite(request, current.ETag, $"Rule {ruleId} of game {gameId}");
            if (precondition.Problem is not null)
            {
                return precondition.Problem;
            }

            ifMatch = precondition.ETag;
        }

        var caller = AdminCaller.NameOf(request);
        var result = await editor.PromoteAsync(gameId, ruleId, ifMatch, caller, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case RuleEditStatus.Done:
                LogRulePromoted(gameId, ruleId, result.Stored!.Rule.Id, caller);
                return Written(request, result.Stored);
            case RuleEditStatus.NotFound:
                return NoSuchRule(gameId, ruleId);
            case RuleEditStatus.Conflict:
                return Problems.Conflict(result.Detail!);
            default:
                return Changed(gameId, ruleId);
        }
    }

    /// <summary>Every change to the rule (even once deleted), newest first, in pages.</summary>
    public async Task<IActionResult> HistoryAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var paging = query.Paging(DefaultHistoryPageSize, MaxHistoryPageSize);
        if (query.Problem() is { } refused)
        {
            return refused;
        }

        RuleHistoryPage page;
        try
        {
            page = await history.ListAsync(gameId, ruleId, paging.PageSize, paging.Continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (paging.Continuation is not null)
        {
            return QueryParameters.InvalidContinuation();
        }

        return AdminJson.Write(new RuleHistoryResponse(page.Items, page.ContinuationToken), NotificationsAdminJson.Default.RuleHistoryResponse);
    }

    public async Task<IActionResult> DeleteAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var current = await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return NoSuchRule(gameId, ruleId);
        }

        var precondition = ETags.ForWrite(request, current.ETag, $"Rule {ruleId} of game {gameId}");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        var caller = AdminCaller.NameOf(request);
        switch ((await editor.DeleteAsync(gameId, ruleId, precondition.ETag, caller, cancellationToken).ConfigureAwait(false)).Status)
        {
            case RuleEditStatus.NotFound:
                return NoSuchRule(gameId, ruleId);
            case RuleEditStatus.Done:
                LogRuleDeleted(gameId, ruleId, caller);
                return new NoContentResult();
            default:
                return Changed(gameId, ruleId);
        }
    }

    /// <summary>
    /// What the stored rule, or the rule in the body (validated, not saved), would send for the given events,
    /// rendered in each player's language, with the cooldown applied among these events only. Nothing is written.
    /// </summary>
    public async Task<IActionResult> TestAsync(HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, NotificationsAdminJson.Default.RuleTestRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Events is not { Count: > 0 and <= MaxTestEvents } samples)
        {
            return Problems.Invalid("events", $"an array of 1 to {MaxTestEvents} CloudEvents", "The body needs events.");
        }

        var (events, errors) = Decode(samples, gameId);
        if (errors.Count > 0)
        {
            return Problems.BadRequest("Some events are not valid CloudEvents of this game.", errors);
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        CompiledRule? compiled;
        if (body.Rule is { } given)
        {
            if (Validate(given, gameId, ruleId, "$.rule", out var rule) is { } refused)
            {
                return refused;
            }

            CompiledRule.TryCompile(rule, "", "$", out compiled, out _);
        }
        else if (await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NoSuchRule(gameId, ruleId);
        }
        else if (!CompiledRule.TryCompile(stored.Rule, stored.ETag, "$", out compiled, out var problems))
        {
            return Problems.Conflict($"The stored rule is not valid and never runs: {string.Join("; ", problems)}");
        }

        var results = await RuleDryRun.RunAsync(compiled!, events, locales, cancellationToken).ConfigureAwait(false);
        var response = new RuleTestResponse(ruleId, [.. results.Select(r => new RuleTestResult(
            r.EventId, JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Outcome.ToString()), r.Notification is { } n ? NotificationView.From(n) : null))]);
        return AdminJson.Write(response, NotificationsAdminJson.Default.RuleTestResponse);
    }

    /// <summary>
    /// The rule under the route's ids, or a 400 naming each invalid field (under <paramref name="prefix"/>, as
    /// <c>$</c> or <c>$.rule</c>): a body that names another rule or game is a mistake, not a rename.
    /// </summary>
    private static ObjectResult? Validate(NotificationRule body, string gameId, string ruleId, string prefix, out NotificationRule rule)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var path = prefix == "$" ? "" : prefix[2..] + ".";
        if (!string.IsNullOrEmpty(body.Id) && body.Id != ruleId)
        {
            errors[path + "id"] = [$"'{body.Id}' differs from the route's rule id '{ruleId}'"];
        }

        if (!string.IsNullOrEmpty(body.GameId) && body.GameId != gameId)
        {
            errors[path + "gameId"] = [$"'{body.GameId}' differs from the route's game id '{gameId}'"];
        }

        rule = body with { Id = ruleId, GameId = gameId };
        if (!CompiledRule.TryCompile(rule, "", prefix, out _, out var problems))
        {
            foreach (var group in problems.GroupBy(p => p.Field[2..]))
            {
                errors[group.Key] = [.. group.Select(Describe)];
            }
        }

        return errors.Count > 0
            ? Problems.BadRequest($"The rule is not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}", errors)
            : null;
    }

    private static (List<GameEvent> Events, Dictionary<string, string[]> Errors) Decode(IReadOnlyList<JsonElement> samples, string gameId)
    {
        var events = new List<GameEvent>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"events[{i}]");
            var decoded = new List<GameEvent>();
            var rejected = new List<DeadLetter>();
            var origin = new MessageOrigin("test", "0", i, i.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch);
            // The bytes as sent: re-serialising the element throws on a string that is not Unicode (a lone surrogate escape).
            EventDecoder.Decode(JsonMarshal.GetRawUtf8Value(samples[i]).ToArray(), origin, decoded, rejected);
            if (rejected.Count > 0)
            {
                errors[field] = [.. rejected.Select(r => $"{r.Reason}: {r.Detail}")];
            }
            else if (decoded.FirstOrDefault(e => e.GameId != gameId) is { } other)
            {
                errors[field + ".gameid"] = [$"'{other.GameId}' is not the route's game '{gameId}'"];
            }
            else
            {
                events.AddRange(decoded);
            }
        }

        return (events, errors);
    }

    private static ObjectResult? CheckRoute(string gameId, string ruleId) =>
        RouteIds.External(nameof(gameId), gameId) ?? RouteIds.Resource(nameof(ruleId), ruleId);

    /// <summary>A condition's problem with its position, so an editor can point at it: <c>at position 12: ...</c>.</summary>
    private static string Describe(RuleProblem problem) =>
        problem.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"at position {p}: {problem.Cause}") : problem.Cause;

    private static ContentResult Written(HttpRequest request, StoredRule stored) =>
        AdminJson.WriteVersioned(request, stored.ETag, stored.Rule, NotificationsJsonContext.Default.NotificationRule);

    private static ObjectResult NoSuchRule(string gameId, string ruleId) => Problems.NotFound($"Game {gameId} has no rule {ruleId}.");

    private static ObjectResult Changed(string gameId, string ruleId) =>
        Problems.PreconditionFailed($"Rule {ruleId} of game {gameId}, or a rule it depends on, changed meanwhile: read it again and retry.");

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Rule {GameId}/{RuleId} written by {Caller}")]
    private partial void LogRuleWritten(string gameId, string ruleId, string caller);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Rule {GameId}/{RuleId} deleted by {Caller}")]
    private partial void LogRuleDeleted(string gameId, string ruleId, string caller);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Shadow rule {GameId}/{RuleId} promoted into {ActiveRuleId} by {Caller}")]
    private partial void LogRulePromoted(string gameId, string ruleId, string activeRuleId, string caller);
}
