using System.Globalization;
using System.Runtime.InteropServices;
using GameSignals.Events;
using GameSignals.Functions.Http;
using GameSignals.Notifications;
using GameSignals.Notifications.Conditions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace GameSignals.Functions.Notifications;

/// <summary>
/// The admin API of a game's notification rules: list, read, write (validated by the rule compiler,
/// If-Match guarded), delete, promote a shadow rule, each change kept in the rule's history; and a dry run
/// over sample events that writes nothing.
/// </summary>
public sealed partial class RulesFunctions(IRuleStore rules, RuleEditor editor, IRuleHistoryStore history, IPlayerLocaleStore locales, ILogger<RulesFunctions> logger)
{
    public const int DefaultHistoryPageSize = 20;
    public const int MaxHistoryPageSize = 100;

    /// <summary>Most events one dry run takes.</summary>
    public const int MaxTestEvents = 100;

    private const string RuleRoute = "games/{gameId}/rules/{ruleId}";

    [Function("ListRules")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "games/{gameId}/rules")] HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } invalid)
        {
            return invalid;
        }

        var stored = await rules.ListAsync(gameId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminHttp.Json(new RulesDocument([.. stored.Select(r => r.Rule)]), NotificationsJsonContext.Default.RulesDocument);
    }

    [Function("GetRule")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = RuleRoute)] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        if (await rules.GetAsync(gameId, ruleId, request.HttpContext.RequestAborted).ConfigureAwait(false) is not { } stored)
        {
            return NoSuchRule(gameId, ruleId);
        }

        request.HttpContext.Response.Headers.ETag = stored.ETag;
        return AdminHttp.Json(stored.Rule, NotificationsJsonContext.Default.NotificationRule);
    }

    [Function("PutRule")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = RuleRoute)] HttpRequest request, string gameId, string ruleId)
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

        // The route names the rule; a body that names another one is a mistake, not a rename.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(body!.Id) && body.Id != ruleId)
        {
            errors["id"] = [$"'{body.Id}' differs from the route's rule id '{ruleId}'"];
        }

        if (!string.IsNullOrEmpty(body.GameId) && body.GameId != gameId)
        {
            errors["gameId"] = [$"'{body.GameId}' differs from the route's game id '{gameId}'"];
        }

        var rule = body with { Id = ruleId, GameId = gameId };
        if (!CompiledRule.TryCompile(rule, "", "$", out _, out var problems))
        {
            foreach (var group in problems.GroupBy(p => p.Field[2..]))
            {
                errors[group.Key] = [.. group.Select(Describe)];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.BadRequest($"The rule is not valid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}", errors);
        }

        var ifMatch = IfMatch(request);
        var caller = Caller.NameOf(request);
        var result = await editor.SaveAsync(rule, ifMatch, caller, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (result.Status == RuleEditStatus.Invalid)
        {
            var refused = result.Problem!;
            return Problems.BadRequest($"The rule is not valid: {refused}", AdminHttp.Errors(refused.Field[2..], Describe(refused)));
        }

        if (result.Status != RuleEditStatus.Done)
        {
            return Problems.PreconditionFailed($"Rule {ruleId} of game {gameId} is not at version {ifMatch}: read it again and retry.");
        }

        LogRuleWritten(gameId, ruleId, caller);
        return Written(request, result.Stored!);
    }

    /// <summary>
    /// Makes a shadow rule active: a candidate replaces the active rule it names (which keeps its id) and is deleted;
    /// a shadow rule without <c>shadowOf</c> becomes active in place. Answers the active rule.
    /// </summary>
    [Function("PromoteRule")]
    public async Task<IActionResult> PromoteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = RuleRoute + ":promote")] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var ifMatch = IfMatch(request);
        var caller = Caller.NameOf(request);
        var result = await editor.PromoteAsync(gameId, ruleId, ifMatch, caller, request.HttpContext.RequestAborted).ConfigureAwait(false);
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
                return Problems.PreconditionFailed($"Rule {ruleId} of game {gameId}, or the rule it replaces, changed meanwhile: read it again and retry.");
        }
    }

    /// <summary>Every change to the rule (even once deleted), newest first, in pages.</summary>
    [Function("GetRuleHistory")]
    public async Task<IActionResult> HistoryAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = RuleRoute + "/history")] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var query = new QueryParameters(request);
        var pageSize = query.PageSize(DefaultHistoryPageSize, MaxHistoryPageSize);
        var continuation = query.Value("continuation");
        if (query.Errors.Count > 0)
        {
            return Problems.BadRequest("The query parameters are not valid.", query.Errors);
        }

        RuleHistoryPage page;
        try
        {
            page = await history.ListAsync(gameId, ruleId, pageSize, continuation, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException) when (continuation is not null)
        {
            return Problems.BadRequest("The query parameter continuation is not valid.", AdminHttp.Errors("continuation", "not a token a previous page of this history returned"));
        }

        return AdminHttp.Json(new RuleHistoryResponse(page.Items, page.ContinuationToken), NotificationsAdminJson.Default.RuleHistoryResponse);
    }

    [Function("DeleteRule")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = RuleRoute)] HttpRequest request, string gameId, string ruleId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CheckRoute(gameId, ruleId) is { } invalid)
        {
            return invalid;
        }

        var ifMatch = IfMatch(request);
        var caller = Caller.NameOf(request);
        switch ((await editor.DeleteAsync(gameId, ruleId, ifMatch, caller, request.HttpContext.RequestAborted).ConfigureAwait(false)).Status)
        {
            case RuleEditStatus.NotFound:
                return NoSuchRule(gameId, ruleId);
            case RuleEditStatus.Done:
                LogRuleDeleted(gameId, ruleId, caller);
                return new NoContentResult();
            default:
                return Problems.PreconditionFailed($"Rule {ruleId} of game {gameId} is not at version {ifMatch}: read it again and retry.");
        }
    }

    /// <summary>
    /// What the stored rule would send for the given events, rendered in each player's language, with the
    /// cooldown applied among these events only. Nothing is written.
    /// </summary>
    [Function("TestRule")]
    public async Task<IActionResult> TestAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = RuleRoute + ":test")] HttpRequest request, string gameId, string ruleId)
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
            return Problems.BadRequest("The body needs events.", AdminHttp.Errors("events", $"an array of 1 to {MaxTestEvents} CloudEvents"));
        }

        var (events, errors) = Decode(samples, gameId);
        if (errors.Count > 0)
        {
            return Problems.BadRequest("Some events are not valid CloudEvents of this game.", errors);
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        if (await rules.GetAsync(gameId, ruleId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NoSuchRule(gameId, ruleId);
        }

        if (!CompiledRule.TryCompile(stored.Rule, stored.ETag, "$", out var compiled, out var problems))
        {
            return Problems.Conflict($"The stored rule is not valid and never runs: {string.Join("; ", problems)}");
        }

        var results = new List<RuleTestResult>();
        var cooldowns = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var languages = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e.Payload is SessionStarted { Locale: var locale } && PlayerLocale.LanguageOf(locale) is { } language)
            {
                languages[e.UserId] = language;
            }

            var outcome = e.Type != compiled!.Rule.EventType ? "other_type" : compiled.Evaluate(e) switch
            {
                ConditionOutcome.Match => "match",
                ConditionOutcome.NoMatch => "no_match",
                ConditionOutcome.MissingField => "missing_field",
                _ => "error",
            };
            if (outcome == "match" && compiled.Cooldown is { } cooldown)
            {
                var key = compiled.CooldownKey == CooldownKeyKind.CharacterId && e.CharacterId is { } character ? character : e.UserId;
                if (cooldowns.TryGetValue(key, out var opened) && e.Time < CompiledRule.CooldownEnd(opened, cooldown))
                {
                    outcome = "suppressed";
                }
                else
                {
                    cooldowns[key] = e.Time;
                }
            }

            if (outcome != "match")
            {
                results.Add(new RuleTestResult(e.Id, outcome, null));
                continue;
            }

            if (!languages.TryGetValue(e.UserId, out var userLanguage))
            {
                userLanguage = (await locales.GetAsync(e.GameId, e.UserId, cancellationToken).ConfigureAwait(false))?.Language;
                languages[e.UserId] = userLanguage;
            }

            var template = compiled.TemplateFor(userLanguage);
            results.Add(new RuleTestResult(e.Id, outcome, new NotificationView(
                Notification.IdFor(compiled.Id, e.Source, e.Id), compiled.Id, e.GameId, e.UserId, e.CharacterId, e.Id, e.Time,
                compiled.Priority, compiled.ChannelNames, template.Locale, template.Title.Render(e), template.Body.Render(e), Read: false)));
        }

        return AdminHttp.Json(new RuleTestResponse(ruleId, results), NotificationsAdminJson.Default.RuleTestResponse);
    }

    private static (List<GameEvent> Events, Dictionary<string, string[]> Errors) Decode(IReadOnlyList<System.Text.Json.JsonElement> samples, string gameId)
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

    private static string? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch is { Count: > 0 } values && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

    private static string Describe(RuleProblem problem) =>
        problem.Position is { } p ? string.Create(CultureInfo.InvariantCulture, $"at position {p}: {problem.Cause}") : problem.Cause;

    private static ContentResult Written(HttpRequest request, StoredRule stored)
    {
        request.HttpContext.Response.Headers.ETag = stored.ETag;
        return AdminHttp.Json(stored.Rule, NotificationsJsonContext.Default.NotificationRule);
    }

    private static ObjectResult NoSuchRule(string gameId, string ruleId) => Problems.NotFound($"Game {gameId} has no rule {ruleId}.");

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Rule {GameId}/{RuleId} written by {Caller}")]
    private partial void LogRuleWritten(string gameId, string ruleId, string caller);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Rule {GameId}/{RuleId} deleted by {Caller}")]
    private partial void LogRuleDeleted(string gameId, string ruleId, string caller);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Shadow rule {GameId}/{RuleId} promoted into {ActiveRuleId} by {Caller}")]
    private partial void LogRulePromoted(string gameId, string ruleId, string activeRuleId, string caller);
}
