using System.Globalization;
using System.Text.Json;

namespace GameSignals.Notifications;

/// <summary>Loads <c>rules.json</c> (contract §3): the rules, and every problem found in them.</summary>
public static class RulesFile
{
    public sealed record LoadResult(IReadOnlyList<NotificationRule> Rules, IReadOnlyList<RuleProblem> Problems)
    {
        public bool IsValid => Problems.Count == 0;
    }

    public static LoadResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        RulesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, NotificationsJsonContext.Default.RulesDocument);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "rules.json";
            return new LoadResult([], [new RuleProblem(field, null, ex.Message)]);
        }

        if (document?.Rules is not { } rules)
        {
            return new LoadResult([], [new RuleProblem("rules", null, "the document must have a rules array")]);
        }

        var problems = new List<RuleProblem>();
        var ids = new HashSet<(string, string)>();
        for (var i = 0; i < rules.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"rules[{i}]");
            CompiledRule.TryCompile(rules[i], "", field, out _, out var ruleProblems);
            problems.AddRange(ruleProblems);
            if (!string.IsNullOrEmpty(rules[i].Id) && !ids.Add((rules[i].GameId, rules[i].Id)))
            {
                problems.Add(new RuleProblem($"{field}.id", null, $"'{rules[i].Id}' is used twice in game '{rules[i].GameId}'"));
            }
        }

        // A candidate names a rule of the same file and game.
        var byKey = rules.GroupBy(r => (r.GameId, r.Id)).ToDictionary(g => g.Key, g => g.First());
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].ShadowOf is { } shadowOf
                && CompiledRule.CandidateProblem(rules[i], byKey.GetValueOrDefault((rules[i].GameId, shadowOf)), string.Create(CultureInfo.InvariantCulture, $"rules[{i}]")) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return new LoadResult(rules, problems);
    }

    public static LoadResult Load(string path) => Parse(File.ReadAllText(path));
}
