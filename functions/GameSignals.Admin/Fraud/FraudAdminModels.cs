using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Fraud;

namespace GameSignals.Admin.Fraud;

/// <summary>The body of <c>:resolve</c> and <c>:dismiss</c>.</summary>
public sealed record FlagReviewRequest(string? Comment);

/// <summary>One page of flags; <see cref="Continuation"/> is passed back as <c>continuation</c> for the next page, null on the last.</summary>
public sealed record FlagPageResponse(IReadOnlyList<FraudFlag> Flags, string? Continuation);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GameFraudConfig))]
[JsonSerializable(typeof(FraudFlag))]
[JsonSerializable(typeof(FlagPageResponse))]
[JsonSerializable(typeof(FlagReviewRequest))]
[JsonSerializable(typeof(FlagStatus))]
internal sealed partial class FraudAdminJson : JsonSerializerContext;
