using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameSignals.Notifications;

/// <summary>A notification rule as operators write it in <c>rules.json</c> (contract §3) and as the rule store keeps it.</summary>
public sealed record NotificationRule
{
    public string Id { get; init; } = "";

    public string GameId { get; init; } = "";

    public string EventType { get; init; } = "";

    /// <summary>CEL condition; absent means every event of the type matches.</summary>
    public string? Condition { get; init; }

    /// <summary>ISO 8601 duration, e.g. <c>PT5M</c>; absent means no cooldown.</summary>
    public string? Cooldown { get; init; }

    /// <summary><c>userid</c> (default) or <c>characterid</c>.</summary>
    public string? CooldownKey { get; init; }

    /// <summary><c>high</c>, <c>normal</c> (default) or <c>low</c>.</summary>
    public string? Priority { get; init; }

    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Templates by language, in the order written (the first is the last fallback).</summary>
    [JsonConverter(typeof(RuleTemplatesConverter))]
    public IReadOnlyList<RuleTemplate> Templates { get; init; } = [];

    /// <summary>
    /// <c>active</c> (default when absent: rules written before states existed stay active), <c>shadow</c>
    /// (evaluated, what it would send recorded apart, never sent) or <c>off</c> (never evaluated).
    /// </summary>
    public string? State { get; init; }

    /// <summary>On a shadow (or off) rule: the id of the active rule of the same game it is a candidate for.</summary>
    public string? ShadowOf { get; init; }
}

public sealed record RuleTemplate(string Locale, string Title, string Body);

/// <summary>The <c>rules.json</c> document.</summary>
public sealed record RulesDocument(IReadOnlyList<NotificationRule> Rules);

/// <summary>Reads and writes <c>"templates": { "en": { "title": …, "body": … } }</c> keeping the order of the languages.</summary>
public sealed class RuleTemplatesConverter : JsonConverter<IReadOnlyList<RuleTemplate>>
{
    public override IReadOnlyList<RuleTemplate> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("templates must be an object of languages");
        }

        var templates = new List<RuleTemplate>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var locale = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"template '{locale}' must be an object with title and body");
            }

            string? title = null, body = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException($"template '{locale}' {name} must be a string");
                if (name == "title")
                {
                    title = text;
                }
                else if (name == "body")
                {
                    body = text;
                }
            }

            templates.Add(new RuleTemplate(locale, title ?? "", body ?? ""));
        }

        return templates;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<RuleTemplate> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var template in value)
        {
            writer.WriteStartObject(template.Locale);
            writer.WriteString("title", template.Title);
            writer.WriteString("body", template.Body);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RulesDocument))]
[JsonSerializable(typeof(NotificationRule))]
[JsonSerializable(typeof(Notification))]
[JsonSerializable(typeof(PushRequest))]
[JsonSerializable(typeof(ShadowRecord))]
[JsonSerializable(typeof(RuleChange))]
public sealed partial class NotificationsJsonContext : JsonSerializerContext;
