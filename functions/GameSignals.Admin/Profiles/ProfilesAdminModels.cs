using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Profiles;

namespace GameSignals.Admin.Profiles;

/// <summary>The body of <c>POST /api/games/{gameId}/players/similar</c>; k defaults to 10.</summary>
public sealed record SimilarRequest(IReadOnlyList<string>? Examples, int? K, SimilarFilters? Filters);

/// <summary>Optional filters, all ANDed.</summary>
public sealed record SimilarFilters(string? Server, int? MinLevel, int? MaxLevel, string? Platform, DateTimeOffset? LastSeenFrom, DateTimeOffset? LastSeenTo)
{
    public PlayerFilter ToFilter(string gameId) => new(gameId)
    {
        Server = Server,
        MinLevel = MinLevel,
        MaxLevel = MaxLevel,
        Platform = Platform,
        LastSeenFrom = LastSeenFrom,
        LastSeenTo = LastSeenTo,
    };
}

public sealed record SimilarResponse(string GameId, IReadOnlyList<PlayerResult> Players);

/// <summary>A similar player: cosine similarity in [-1, 1] and the features that make it similar.</summary>
public sealed record PlayerResult(string UserId, double Score, string? Server, int Level, string? Platform, DateTimeOffset LastSeen, IReadOnlyList<FeatureMatch> SharedFeatures)
{
    public static PlayerResult From(SimilarPlayer player)
    {
        ArgumentNullException.ThrowIfNull(player);
        return new(player.UserId, player.Score, player.Server, player.Level, player.Platform, player.LastSeen, player.SharedFeatures);
    }
}

public sealed record PeersResponse(string GameId, string UserId, IReadOnlyList<PlayerResult> Peers, IReadOnlyList<FeatureResult> Features);

/// <summary>Where the player stands on one feature among the peers; median and percentile are null without peers.</summary>
public sealed record FeatureResult(string Feature, double Value, double? PeerMedian, double? Percentile)
{
    public static FeatureResult From(FeaturePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new(position.Feature, position.Value, NullIfNaN(position.PeerMedian), NullIfNaN(position.Percentile));
    }

    private static double? NullIfNaN(double value) => double.IsNaN(value) ? null : value;
}

/// <summary>Unknown members are refused (a misspelt filter must not silently widen a query).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SimilarRequest))]
[JsonSerializable(typeof(SimilarResponse))]
[JsonSerializable(typeof(PeersResponse))]
internal sealed partial class ProfilesAdminJson : JsonSerializerContext;
