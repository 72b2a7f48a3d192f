using System.Globalization;
using System.Text.Json;
using GameSignals.Fraud;

namespace GameSignals.Admin.Console;

/// <summary>A fact a sentence names, linked where the console has a page for it (an address, a player).</summary>
public sealed record EvidenceLink(string Kind, string Value);

/// <summary>One sentence of a flag's evidence and the facts it links.</summary>
public sealed record EvidenceSentence(string Text, IReadOnlyList<EvidenceLink> Links);

/// <summary>
/// A flag's evidence (contract 4.4) as sentences a reviewer reads, e.g. "7 distinct devices from 203.0.113.0/24
/// within PT10M; threshold 5". Fields a reason does not have are left out; an unknown reason lists its facts.
/// </summary>
public static class FlagEvidence
{
    public static IReadOnlyList<EvidenceSentence> Describe(FraudFlag flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var e = flag.Evidence;
        var ip = S(e, "ip");
        var ipLinks = ip is null ? (IReadOnlyList<EvidenceLink>)[] : [new EvidenceLink("ip", ip)];
        List<EvidenceSentence> sentences = flag.Reason switch
        {
            FraudReasons.BlockedRange =>
                [.. Items(e, "matches").Select(m => new EvidenceSentence($"{ip} is inside blocked range {S(m, "cidr")}: {S(m, "reason")} (added by {S(m, "addedBy") ?? "blocklist.json"}).", ipLinks))],
            FraudReasons.BlockedAsn =>
                [new($"{ip} belongs to AS{S(e, "asn")} {S(e, "asName")} ({S(e, "asRange")}), which is blocked: {string.Join("; ", Items(e, "matches").Select(m => S(m, "reason")))}.", ipLinks)],
            FraudReasons.CloudProvider =>
                [.. Items(e, "matches").Select(m => new EvidenceSentence($"{ip} is in {S(m, "source")} range {S(m, "prefix")} ({S(m, "service")}, {S(m, "region")}): logins from cloud servers are not allowed for this game.", ipLinks))],
            FraudReasons.DeviceFarm =>
                [new($"{S(e, "distinctDevices")} distinct devices from {S(e, "ipBucket")} within {S(e, "window")}; threshold {S(e, "maxDevicesPerIp")}.", S(e, "ipBucket") is { } bucket ? [new EvidenceLink("ip", bucket.Split('/')[0])] : [])],
            FraudReasons.CountryMismatch =>
                [new($"The account is registered in {S(e, "accountCountry")} but {ip} is in {S(e, "ipCountry")} (AS{S(e, "asn")} {S(e, "asName")}).", ipLinks)],
            FraudReasons.ClientTampered =>
                [new($"The {S(e, "platform")} client {S(e, "clientVersion")} signed {S(e, "clientSignature") ?? "nothing"}; allowed signatures: {S(e, "allowedSignatures")}.", [])],
            FraudReasons.UnregisteredCurrency =>
                [new($"A {S(e, "store")} purchase in {S(e, "currency") ?? "no currency"}; the game registers {S(e, "registeredCurrencies")}.", [])],
            FraudReasons.PriceMismatch =>
                [new($"{S(e, "productId")} was paid {S(e, "seenPrice")} {S(e, "currency")}; the catalog price is {S(e, "expectedPrice") ?? "unknown (not in the catalog)"}.", [])],
            FraudReasons.InvalidReceipt =>
                [.. Items(e, "failures").Select(f => new EvidenceSentence($"Receipt check {S(f, "check")} failed for order {S(e, "orderId")}: expected {S(f, "expected")}, seen {S(f, "seen")}{(S(f, "detail") is { } d ? $" ({d})" : "")}.", []))],
            FraudReasons.ReceiptReplay =>
                [new($"Order {S(e, "orderId")} ({S(e, "store")}) was already used by player {S(e, "firstUseUserId")} at {S(e, "firstUseTime")} (event {S(e, "firstUseEventId")}); {S(e, "usesSeen")} uses seen.",
                    S(e, "firstUseUserId") is { } first ? [new EvidenceLink("player", first)] : [])],
            _ => [],
        };
        if (sentences.Count == 0 && e.ValueKind == JsonValueKind.Object)
        {
            sentences.Add(new EvidenceSentence(string.Join("; ", e.EnumerateObject().Select(p => $"{p.Name}: {Text(p.Value)}")), []));
        }

        return sentences;
    }

    private static List<JsonElement> Items(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray()] : [];

    private static string? S(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Text(value) : null;

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    internal static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
