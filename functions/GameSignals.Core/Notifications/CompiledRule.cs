using System.Xml;
using GameSignals.Events;
using GameSignals.Notifications.Conditions;
using GameSignals.Stats;

namespace GameSignals.Notifications;

[Flags]
public enum NotificationChannels
{
    None = 0,
    Push = 1,
    Inbox = 2,
}

public enum CooldownKeyKind
{
    UserId,
    CharacterId,
}

/// <summary>What the stage does with a rule: notify (active), record what it would send (shadow), or nothing (off).</summary>
public enum RuleState
{
    Active,
    Shadow,
    Off,
}

public sealed record CompiledTemplate(string Locale, MessageTemplate Title, MessageTemplate Body);

/// <summary>A validated rule ready to run: condition compiled, cooldown parsed, templates parsed. Built once per rule version.</summary>
public sealed class CompiledRule
{
    public static readonly string[] Priorities = ["high", "normal", "low"];

    public static readonly string[] States = ["active", "shadow", "off"];

    private CompiledRule(NotificationRule rule, string version, RuleState state, Condition? condition, TimeSpan? cooldown, CooldownKeyKind cooldownKey,
        string priority, NotificationChannels channels, IReadOnlyList<string> channelNames, IReadOnlyList<CompiledTemplate> templates)
    {
        Rule = rule;
        State = state;
        Version = version;
        Condition = condition;
        Cooldown = cooldown;
        CooldownKey = cooldownKey;
        Priority = priority;
        Channels = channels;
        ChannelNames = channelNames;
        Templates = templates;
    }

    public NotificationRule Rule { get; }

    /// <summary>The store's ETag of the rule this was compiled from.</summary>
    public string Version { get; }

    public string Id => Rule.Id;

    public RuleState State { get; }

    /// <summary>Null when the rule has no condition: every event of its type matches.</summary>
    public Condition? Condition { get; }

    public TimeSpan? Cooldown { get; }

    public CooldownKeyKind CooldownKey { get; }

    public string Priority { get; }

    public NotificationChannels Channels { get; }

    public IReadOnlyList<string> ChannelNames { get; }

    public IReadOnlyList<CompiledTemplate> Templates { get; }

    /// <summary>When a cooldown opened at <paramref name="opened"/> ends: the end of time when that is past it (an event dated 9999).</summary>
    public static DateTimeOffset CooldownEnd(DateTimeOffset opened, TimeSpan cooldown)
    {
        var utc = opened.ToUniversalTime();
        return DateTimeOffset.MaxValue - utc <= cooldown ? DateTimeOffset.MaxValue : utc + cooldown;
    }

    public ConditionOutcome Evaluate(GameEvent e) => Condition?.Evaluate(e) ?? ConditionOutcome.Match;

    /// <summary>Whether this is a stats message: a rule on a moment, whose templates may show the player's standing among peers.</summary>
    public bool IsStatsMessage => MomentTypes.IsMoment(Rule.EventType);

    /// <summary>
    /// The notification this rule sends for <paramref name="e"/>, rendered in <paramref name="language"/> (else English,
    /// else the first template), without its creation time and time to live, which the store's writer sets. A stats
    /// message renders <paramref name="peers"/> and carries them as its explanation.
    /// </summary>
    public Notification Render(GameEvent e, string? language, PeerStanding? peers = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var template = TemplateFor(language);
        return new Notification
        {
            Id = Notification.IdFor(Id, e.Source, e.Id),
            RuleId = Id,
            GameId = e.GameId,
            UserId = e.UserId,
            CharacterId = e.CharacterId,
            EventId = e.Id,
            Time = e.Time,
            Priority = Priority,
            Channels = ChannelNames,
            Locale = template.Locale,
            Title = template.Title.Render(e, peers),
            Body = template.Body.Render(e, peers),
            Explanation = peers is null ? null : StatsExplanation.Of(Rule.EventType, peers, template.Title.PeerFeatures.Concat(template.Body.PeerFeatures)),
        };
    }

    /// <summary>The template for a language: that language, else <c>en</c>, else the first.</summary>
    public CompiledTemplate TemplateFor(string? language)
    {
        CompiledTemplate? english = null;
        foreach (var template in Templates)
        {
            if (language is not null && string.Equals(template.Locale, language, StringComparison.OrdinalIgnoreCase))
            {
                return template;
            }

            if (english is null && string.Equals(template.Locale, "en", StringComparison.OrdinalIgnoreCase))
            {
                english = template;
            }
        }

        return english ?? Templates[0];
    }

    /// <summary>
    /// The problem with a candidate's <see cref="NotificationRule.ShadowOf"/> given the rule it names (null when
    /// the game has none): it must exist, be on the same event type (the two are compared over the same events)
    /// and not be a candidate itself. Null when there is no problem or no <c>shadowOf</c>.
    /// </summary>
    public static RuleProblem? CandidateProblem(NotificationRule rule, NotificationRule? target, string field)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.ShadowOf is not { } shadowOf || shadowOf == rule.Id)
        {
            return null; // a rule naming itself is refused by TryCompile
        }

        var cause = target is null ? $"game '{rule.GameId}' has no rule '{shadowOf}'"
            : target.ShadowOf is { } other ? $"'{shadowOf}' is itself a candidate for '{other}': name the active rule"
            : target.EventType != rule.EventType ? $"'{shadowOf}' is on {target.EventType}, this rule on {rule.EventType}: a candidate is compared over the same events"
            : null;
        return cause is null ? null : new RuleProblem($"{field}.shadowOf", null, cause);
    }

    /// <summary>
    /// Validates and compiles a rule, listing every problem with its field (prefixed by <paramref name="field"/>,
    /// e.g. <c>rules[2]</c>), the position inside a condition or template, and the cause.
    /// </summary>
    public static bool TryCompile(NotificationRule rule, string version, string field, out CompiledRule? compiled, out IReadOnlyList<RuleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var found = new List<RuleProblem>();
        Require(rule.Id, "id");
        Require(rule.GameId, "gameId");
        if (!string.IsNullOrWhiteSpace(rule.Id) && !Ids.IsResourceId(rule.Id))
        {
            found.Add(new RuleProblem($"{field}.id", null, $"'{rule.Id}' is not a valid id: {Ids.ResourceIdRule}"));
        }

        if (!string.IsNullOrWhiteSpace(rule.GameId) && !Ids.IsExternalId(rule.GameId))
        {
            found.Add(new RuleProblem($"{field}.gameId", null, $"not a valid game id: {Ids.ExternalIdRule}"));
        }
        Require(rule.EventType, "eventType");

        var state = rule.State switch
        {
            null or "active" => RuleState.Active,
            "shadow" => RuleState.Shadow,
            "off" => RuleState.Off,
            _ => Invalid($"{field}.state", $"'{rule.State}' must be one of {string.Join(", ", States)}", RuleState.Off),
        };
        if (rule.ShadowOf is { } shadowOf)
        {
            if (state == RuleState.Active)
            {
                Invalid($"{field}.shadowOf", "only a shadow or off rule names the active rule it is a candidate for (promote a candidate to make it active)", state);
            }
            else if (string.IsNullOrWhiteSpace(shadowOf) || shadowOf == rule.Id)
            {
                Invalid($"{field}.shadowOf", $"'{shadowOf}' must name another rule of the game", state);
            }
        }

        Condition? condition = null;
        if (rule.Condition is not null && !Condition.TryCompile(rule.Condition, out condition, out var errors))
        {
            found.AddRange(errors.Select(e => new RuleProblem($"{field}.condition", e.Position, e.Cause)));
        }

        TimeSpan? cooldown = null;
        if (rule.Cooldown is not null)
        {
            try
            {
                cooldown = XmlConvert.ToTimeSpan(rule.Cooldown);
                if (cooldown <= TimeSpan.Zero)
                {
                    found.Add(new RuleProblem($"{field}.cooldown", null, $"'{rule.Cooldown}' must be a positive duration"));
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                found.Add(new RuleProblem($"{field}.cooldown", null, $"'{rule.Cooldown}' is not an ISO 8601 duration such as PT5M"));
            }
        }

        var cooldownKey = CooldownKeyKind.UserId;
        if (rule.CooldownKey is "characterid")
        {
            cooldownKey = CooldownKeyKind.CharacterId;
        }
        else if (rule.CooldownKey is not (null or "userid"))
        {
            found.Add(new RuleProblem($"{field}.cooldownKey", null, $"'{rule.CooldownKey}' must be userid or characterid"));
        }

        var priority = rule.Priority ?? "normal";
        if (!Priorities.Contains(priority))
        {
            found.Add(new RuleProblem($"{field}.priority", null, $"'{priority}' must be one of {string.Join(", ", Priorities)}"));
        }

        var channels = NotificationChannels.None;
        var channelList = rule.Channels ?? [];
        if (channelList.Count == 0)
        {
            found.Add(new RuleProblem($"{field}.channels", null, "at least one channel (push, inbox) is required"));
        }

        for (var i = 0; i < channelList.Count; i++)
        {
            channels |= channelList[i] switch
            {
                "push" => NotificationChannels.Push,
                "inbox" => NotificationChannels.Inbox,
                _ => Unknown(i),
            };
        }

        var templates = new List<CompiledTemplate>();
        var templateList = rule.Templates ?? [];
        if (templateList.Count == 0)
        {
            found.Add(new RuleProblem($"{field}.templates", null, "at least one template is required"));
        }

        foreach (var template in templateList)
        {
            var title = ParseTemplate(template.Title, $"{field}.templates.{template.Locale}.title");
            var body = ParseTemplate(template.Body, $"{field}.templates.{template.Locale}.body");
            if (title is not null && body is not null)
            {
                templates.Add(new CompiledTemplate(template.Locale, title, body));
            }
        }

        problems = found;
        compiled = found.Count == 0
            ? new CompiledRule(rule, version, state, condition, cooldown, cooldownKey, priority, channels, [.. channelList.Distinct()], templates)
            : null;
        return compiled is not null;

        T Invalid<T>(string problemField, string cause, T fallback)
        {
            found.Add(new RuleProblem(problemField, null, cause));
            return fallback;
        }

        void Require(string? value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                found.Add(new RuleProblem($"{field}.{name}", null, $"{name} is required"));
            }
        }

        NotificationChannels Unknown(int index)
        {
            found.Add(new RuleProblem($"{field}.channels[{index}]", null, $"'{channelList[index]}' must be push or inbox"));
            return NotificationChannels.None;
        }

        MessageTemplate? ParseTemplate(string? text, string templateField)
        {
            if (string.IsNullOrEmpty(text))
            {
                found.Add(new RuleProblem(templateField, null, "the text is required"));
                return null;
            }

            if (MessageTemplate.TryParse(text, MomentTypes.IsMoment(rule.EventType), out var parsed, out var error))
            {
                return parsed;
            }

            found.Add(new RuleProblem(templateField, error!.Position, error.Cause));
            return null;
        }
    }
}
