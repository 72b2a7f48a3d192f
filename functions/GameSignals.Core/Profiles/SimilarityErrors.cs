namespace GameSignals.Profiles;

/// <summary>A similarity request the caller must fix: the HTTP layer maps subclasses to problem+json.</summary>
public abstract class SimilarityRequestException : Exception
{
    protected SimilarityRequestException(string message) : base(message) { }
}

/// <summary>Some players are not known in the game (404).</summary>
public sealed class UnknownPlayersException(string gameId, IReadOnlyList<string> userIds)
    : SimilarityRequestException($"Unknown players in game '{gameId}': {string.Join(", ", userIds)}.")
{
    public string GameId { get; } = gameId;
    public IReadOnlyList<string> UserIds { get; } = userIds;
}

/// <summary>A parameter is out of range or a filter is malformed (400). <see cref="Parameter"/> names it.</summary>
public sealed class InvalidSimilarityRequestException(string parameter, string message) : SimilarityRequestException(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>The game has no population statistics yet, so no vectors (409: retry after the renormalisation timer).</summary>
public sealed class SimilarityNotReadyException(string gameId)
    : SimilarityRequestException($"Game '{gameId}' has no profile statistics yet; vectors appear after the next renormalisation.")
{
    public string GameId { get; } = gameId;
}
