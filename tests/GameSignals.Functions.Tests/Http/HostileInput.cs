using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Tests.Http;

/// <summary>
/// What a careless or hostile client sends the admin API: the FsCheck arbitraries of the fuzz tests
/// (<c>[Property(Arbitrary = [typeof(HostileInput)])]</c>), the request they make, and the check of the answer.
/// Every generated part is either hostile or "valid" (null), so a case with only valid parts must succeed.
/// </summary>
public static class HostileInput
{
    /// <summary>Problem statuses a refusal may have: never a 500.</summary>
    internal static readonly int[] RefusalStatuses = [StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired];

    private static readonly string[] HostileIds =
    [
        "", " ", "\t", new string('a', 129), new string('a', 256), new string('x', 10_000), "a/b", "../odin", "a\\b", "a?b", "a#b", "a%2Fb",
        "a b", ".", "..", "-", "_x", "odin\n", "\0", "\u0001odin", "한국어", "ödin", "\ud83d\ude00", "\ud800", "odin\u200b", "ＯＤＩＮ",
        "null", "undefined", "${x}", "'; DROP", "<script>", "*", "%", "a|b", "a:b", "00000000000000000000000000000000",
        "0123456789abcdef0123456789ABCDEF", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdefa",
    ];

    private static readonly string[] HostileNumbers =
    [
        "", " ", "0", "-1", "+1", " 5", "5 ", "1.5", "1e2", "0x10", "2147483647", "2147483648", "-2147483648", "99999999999999999999999",
        "NaN", "Infinity", "١٢", "٣", "ten", "00000000000000000000000001", "1,000",
    ];

    private static readonly string[] HostileValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0.0", "1e400", "-1e400", "1e-400", "99999999999999999999999999999", "-99999999999999999999999999999",
        "4294967296", "2147483648", "\"\"", "\" \"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\"9999-12-31T23:59:59Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59-14:00\"", "\"P99999999999D\"", "\"PT0S\"", "\"-PT1M\"", "\"P10675199DT2H48M5.4775808S\"",
        "\"2026-13-45T99:99:99Z\"", "\"not a date\"", "\"1\"", "[]", "{}", "[null]", "[1, \"x\", {}]", "{\"\": null}", "[\"\"]",
        "\"0.0.0.0/0\"", "\"::/0\"", "\"256.1.1.1/8\"", "\"10.0.0.0/33\"", "\"1.2.3.4/-1\"",
    ];

    private static readonly string[] HostileTexts =
    [
        "", "   ", "{", "}", "[", "]", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{\"a\":1} x", "/* c */ {}", "// c\n{}", "nul", "tru", "\"",
        "\"\\x\"", "\u00ef\u00bb\u00bf{}", "<xml/>", "a=1&b=2", "NaN", "Infinity", "[1,2", "{\"a\":[}", "\0", "{\"a\":\"\\uZZZZ\"}",
    ];

    public static Arbitrary<RouteValue> RouteValues() =>
        Gen.Frequency(
            (3, Gen.Constant(new RouteValue(null))),
            (5, Gen.Elements(HostileIds).Select(v => new RouteValue(v))),
            (2, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(v => new RouteValue(v)))).ToArbitrary();

    public static Arbitrary<QueryValue> QueryValues() =>
        Gen.Frequency(
            (3, Gen.Constant(new QueryValue(null))),
            (4, Gen.Elements(HostileNumbers).Select(v => new QueryValue([v]))),
            (3, Gen.Elements(HostileIds).Select(v => new QueryValue([v]))),
            (3, ContinuationTokens().Select(v => new QueryValue([v]))),
            (1, Gen.Elements(HostileNumbers).Two().Select(t => new QueryValue([t.Item1, t.Item2])))).ToArbitrary();

    public static Arbitrary<IfMatchValue> IfMatchValues() =>
        Gen.Frequency(
            (3, Gen.Constant(new IfMatchValue(null, false))),
            (2, Gen.Constant(new IfMatchValue(null, true))),
            (4, Gen.Elements(
                "", " ", "*", "\"\"", "\"1\"", "\"999\"", "W/\"1\"", "W/*", "1", "\"unterminated", "\"a\", \"b\"", "\"a\",", ",", "\"%%\"", "\"!!!\"",
                "\"" + new string('A', 10_000) + "\"", "\"AAAA=\"", "\"é\"", "\"\u0000\"").Select(v => new IfMatchValue(v, false))),
            (1, ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(v => new IfMatchValue(v, false)))).ToArbitrary();

    public static Arbitrary<HostileBody> Bodies()
    {
        var raw = Gen.OneOf(
            Gen.Elements(HostileTexts).Select(t => HostileBody.Raw($"text {Show(t)}", Encoding.UTF8.GetBytes(t))),
            ArbMap.Default.GeneratorFor<byte[]>().Select(b => HostileBody.Raw($"{b.Length} random bytes", b)),
            Gen.Elements("null", "[]", "\"x\"", "1", "true", "[{}]").Select(t => HostileBody.Raw($"not an object: {t}", Encoding.UTF8.GetBytes(t))),
            Gen.Choose(65, 3000).Zip(Gen.Elements("[", "{\"a\":")).Select(t => HostileBody.Raw($"{t.Item1} levels of {t.Item2}", Nested(t.Item1, t.Item2))),
            Gen.Elements(new byte[] { 0xff }, [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf])
                .Select(b => HostileBody.Raw("invalid UTF-8 in a string", [.. "{\"a\":\""u8, .. b, .. "\"}"u8])));
        var oversized = Gen.Elements(1, 1024, 1024 * 1024).Zip(ArbMap.Default.GeneratorFor<bool>())
            .Select(t => new HostileBody($"{Problems.MaxBodyBytes + t.Item1} bytes, length {(t.Item2 ? "declared" : "not declared")}", sample => Oversized(sample, t.Item1), t.Item2));
        var mutated = Gen.Choose(0, 1000).Zip(Gen.Elements(HostileValues)).Zip(Gen.Elements(Mutation.Replace, Mutation.Remove, Mutation.AddUnknown, Mutation.Nest, Mutation.HugeString))
            .Select(t => HostileBody.Mutate(t.Item1.Item1, t.Item1.Item2, t.Item2));
        var extremes = Gen.Choose(0, 1000).Select(HostileBody.Extremes);
        var truncated = Gen.Choose(0, 1000).Select(at => new HostileBody($"truncated at {at}‰", sample => sample[..(int)(sample.Length * (at / 1000.0))], true));
        return Gen.Frequency(
            (2, Gen.Constant(new HostileBody("valid", null, true))),
            (3, raw),
            (1, oversized),
            (2, truncated),
            (8, mutated),
            (3, extremes)).ToArbitrary();
    }

    /// <summary>Random base64, base64 of near-miss tokens, and text that is not base64 at all.</summary>
    private static Gen<string> ContinuationTokens() => Gen.OneOf(
        ArbMap.Default.GeneratorFor<byte[]>().Select(Convert.ToBase64String),
        Gen.Elements("|", "1|", "|x", "-5|x", "99999999999999999999|x", "abc|def", "0|", "638000000000000000|zz", "638000000000000000")
            .SelectMany(t => Gen.Elements(t, Convert.ToBase64String(Encoding.UTF8.GetBytes(t)), Convert.ToBase64String(Encoding.UTF8.GetBytes(t))[..^1])),
        Gen.Elements("====", "A", "AB=", "!!!!", "YWJj\u00e9", "%00", new string('A', 100_000), "e30=", "eyJ0b2tlbiI6MX0="));

    /// <summary>
    /// Asserts the answer is a well-formed success with one of <paramref name="success"/>'s statuses, or an RFC 9457
    /// problem with a refusal status (and its body serialises: a NaN in a JSON answer would only fail when written).
    /// </summary>
    public static int StatusOf(IActionResult result, int[] success, int[]? refusals = null)
    {
        switch (result)
        {
            case ObjectResult { Value: ProblemDetails problem } error:
                Assert.Contains(Problems.ContentType, error.ContentTypes);
                Assert.Equal(error.StatusCode, problem.Status);
                Assert.Contains(problem.Status!.Value, refusals ?? RefusalStatuses);
                return problem.Status.Value;
            case ContentResult content:
                Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
                using (JsonDocument.Parse(content.Content!))
                {
                    Assert.Contains(content.StatusCode!.Value, success);
                    return content.StatusCode.Value;
                }

            case NoContentResult:
                Assert.Contains(StatusCodes.Status204NoContent, success);
                return StatusCodes.Status204NoContent;
            default:
                Assert.Fail($"Unexpected answer {result.GetType().Name}.");
                return 0;
        }
    }

    private static byte[] Nested(int depth, string open)
    {
        var close = open == "[" ? "]" : "}";
        return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)));
    }

    /// <summary>The sample with a string long enough to take it <paramref name="excess"/> bytes over the limit.</summary>
    private static byte[] Oversized(byte[] sample, int excess)
    {
        var node = JsonNode.Parse(sample)!.AsObject();
        var length = Encoding.UTF8.GetByteCount(node.ToJsonString());
        node["padding"] = new string('x', Problems.MaxBodyBytes + excess - length - ",\"padding\":\"\"".Length);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    public static string Show(string text) => text.Length > 60 ? JsonSerializer.Serialize(text[..60]) + $"…({text.Length} chars)" : JsonSerializer.Serialize(text);

    public enum Mutation
    {
        Replace,
        Remove,
        AddUnknown,
        Nest,
        HugeString,
    }
}

/// <summary>A route value: <see cref="Hostile"/>, or null for the test's valid value.</summary>
public sealed record RouteValue(string? Hostile)
{
    public string Or(string valid) => Hostile ?? valid;

    public override string ToString() => Hostile is null ? "valid" : HostileInput.Show(Hostile);
}

/// <summary>A query parameter: absent when <see cref="Values"/> is null, else given once per value.</summary>
public sealed record QueryValue(string[]? Values)
{
    public bool IsValid => Values is null;

    public string Query(string name) => Values is null ? "" : string.Concat(Values.Select(v => $"&{name}={Uri.EscapeDataString(v)}"));

    public override string ToString() => Values is null ? "absent" : string.Join(", ", Values.Select(HostileInput.Show));
}

/// <summary>An <c>If-Match</c> header: the current ETag, absent (both valid), or a hostile value.</summary>
public sealed record IfMatchValue(string? Hostile, bool Current)
{
    public bool IsValid => Hostile is null;

    /// <summary>
    /// Whether the policy lets a write through: the current ETag, or none for an entity that does not exist yet
    /// (replacing or deleting an existing one without If-Match is a 428).
    /// </summary>
    public bool AllowsWrite(string? currentETag) => IsValid && (Current || currentETag is null);

    /// <summary>Whether the write must be refused: a header that cannot match, or none on an existing entity.</summary>
    public bool MustRefuseWrite(string? currentETag) => !CanMatch(currentETag) || (currentETag is not null && IsValid && !Current);

    /// <summary>
    /// Whether the header can match the entity: absent (an empty header is taken for none), the current ETag, or
    /// <c>*</c> (a hostile value may be one of them by chance).
    /// </summary>
    public bool CanMatch(string? currentETag) =>
        string.IsNullOrWhiteSpace(Hostile) || Hostile.Trim() is "*" or "W/*" /* ASP.NET Core reads it as * */ || Hostile.Trim() == currentETag;

    /// <summary>The header to send, given the entity's current ETag.</summary>
    public string? Header(string? currentETag) => Hostile ?? (Current ? currentETag : null);

    public override string ToString() => Hostile is null ? (Current ? "current ETag" : "absent") : HostileInput.Show(Hostile);
}

/// <summary>A body: the test's valid sample (<see cref="IsValid"/>), or a hostile one made from it or from nothing.</summary>
public sealed record HostileBody(string Kind, Func<byte[], byte[]>? Make, bool DeclaresLength)
{
    public bool IsValid => Make is null;

    public byte[] For(byte[] sample) => Make?.Invoke(sample) ?? sample;

    public override string ToString() => Kind;

    public static HostileBody Raw(string kind, byte[] bytes) => new(kind, _ => bytes, true);

    /// <summary>
    /// The sample with one node changed: the <paramref name="pick"/>-th node (in document order, modulo their
    /// number) replaced by <paramref name="value"/>, removed, given an unknown sibling, nested deeply or made huge.
    /// </summary>
    public static HostileBody Mutate(int pick, string value, HostileInput.Mutation mutation) =>
        new($"{mutation} node #{pick} with {HostileInput.Show(value)}", sample =>
        {
            var root = JsonNode.Parse(sample)!;
            var nodes = Descendants(root).ToList();
            var (parent, key) = nodes[pick % nodes.Count];
            // A JsonNode holds neither a lone surrogate nor 70 levels: the value is spliced in as text where the marker is.
            var replacement = JsonValue.Create(Marker);
            var text = mutation switch
            {
                HostileInput.Mutation.Nest => string.Concat(Enumerable.Repeat("[", 70)) + value + string.Concat(Enumerable.Repeat("]", 70)),
                HostileInput.Mutation.HugeString => JsonSerializer.Serialize(new string('é', 200_000)),
                _ => value,
            };
            switch (parent, key, mutation)
            {
                case (JsonObject o, string name, HostileInput.Mutation.Remove):
                    o.Remove(name);
                    break;
                case (JsonArray a, int index, HostileInput.Mutation.Remove):
                    a.RemoveAt(index);
                    break;
                case (JsonObject o, _, HostileInput.Mutation.AddUnknown):
                    o["unexpected" + pick.ToString(CultureInfo.InvariantCulture)] = replacement;
                    break;
                case (JsonArray a, _, HostileInput.Mutation.AddUnknown):
                    a.Add(replacement);
                    break;
                case (JsonObject o, string name, _):
                    o[name] = replacement;
                    break;
                case (JsonArray a, int index, _):
                    a[index] = replacement;
                    break;
                default:
                    return Encoding.UTF8.GetBytes(text);
            }

            return Encoding.UTF8.GetBytes(root.ToJsonString().Replace($"\"{Marker}\"", text, StringComparison.Ordinal));
        }, true);

    private const string Marker = "@hostile@";

    /// <summary>
    /// The sample with every time, duration and number at one of its extremes (the <paramref name="pick"/>-th, modulo
    /// their number): values that are well-formed but overflow what is computed from them.
    /// </summary>
    public static HostileBody Extremes(int pick) =>
        new($"extremes #{pick}", sample =>
        {
            var root = JsonNode.Parse(sample)!;
            foreach (var (parent, key) in Descendants(root).ToList())
            {
                var node = key switch { string name => parent![name], int index => parent![index], _ => null };
                var extreme = node is not JsonValue value ? null : value.GetValueKind() switch
                {
                    JsonValueKind.Number => JsonNode.Parse(Pick(ExtremeNumbers, pick)),
                    JsonValueKind.String when value.GetValue<string>() is var text && text.Length > 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' =>
                        JsonValue.Create(Pick(ExtremeTimes, pick)),
                    JsonValueKind.String when value.GetValue<string>() is ['P', ..] => JsonValue.Create(Pick(ExtremeDurations, pick)),
                    _ => null,
                };
                switch (parent, key)
                {
                    case (JsonObject o, string name) when extreme is not null:
                        o[name] = extreme;
                        break;
                    case (JsonArray a, int index) when extreme is not null:
                        a[index] = extreme;
                        break;
                }
            }

            return Encoding.UTF8.GetBytes(root.ToJsonString());
        }, true);

    private static readonly string[] ExtremeNumbers = ["1e400", "-1e400", "99999999999999999999999", "-0", "4294967296", "2147483648", "-2147483649", "1e-400"];

    private static readonly string[] ExtremeTimes = ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59.9999999+00:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00"];

    private static readonly string[] ExtremeDurations = ["P10675199DT2H48M5.4775808S", "P10675199DT2H48M5.4775807S", "P99999999999D", "PT0.0000001S", "P9999Y"];

    private static string Pick(string[] values, int pick) => values[pick % values.Length];

    /// <summary>Every node with its parent and key; the root has neither.</summary>
    private static IEnumerable<(JsonNode? Parent, object? Key)> Descendants(JsonNode root)
    {
        yield return (null, null);
        var pending = new Stack<JsonNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        yield return (o, name);
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        yield return (a, i);
                        if (a[i] is { } child)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
            }
        }
    }
}
