using System.Text.RegularExpressions;

namespace GameSignals;

/// <summary>
/// The two id rules, used everywhere an id is accepted (admin routes and bodies, rules.json, blocklist entries).
/// <list type="bullet">
/// <item>Resource ids name what operators and the app create: rules, blocklist entries, notifications, flags.</item>
/// <item>External ids come from events (the contract's <c>gameid</c> and <c>userid</c> are any string): only what
/// a Cosmos DB id or partition key cannot hold, and control characters, are refused.</item>
/// </list>
/// </summary>
public static partial class Ids
{
    public const string ResourceIdRule = "1 to 128 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit";

    public const string ExternalIdRule = "1 to 255 characters, none of them a control character, '/', '\\', '?' or '#'";

    public static bool IsResourceId(string? id) => id is not null && ResourceIdPattern().IsMatch(id);

    public static bool IsExternalId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 255 && !id.Any(c => char.IsControl(c) || c is '/' or '\\' or '?' or '#');

    // \z, not $: $ also matches before a final line feed.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceIdPattern();
}
