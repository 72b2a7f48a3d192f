using System.Text.Json.Serialization;

namespace GameSignals.Profiles;

/// <summary>The replay output row of a profile (contract §6, <c>profiles.jsonl</c>).</summary>
public sealed record ProfileRow(
    [property: JsonPropertyName("gameId")] string GameId,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("features")] IReadOnlyDictionary<string, double> Features,
    [property: JsonPropertyName("vector")] float[] Vector)
{
    public static ProfileRow From(PlayerProfile profile, ProfileVectorizer vectorizer)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(vectorizer);
        return new ProfileRow(profile.GameId, profile.UserId, ProfileFeatures.Read(profile), vectorizer.Vectorize(profile));
    }
}
