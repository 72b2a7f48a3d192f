using System.Collections.Immutable;

namespace GameSignals.Profiles;

/// <summary>
/// The running state of one player in one game, updated event by event in event time.
/// The features derived from it are listed in <see cref="ProfileFeatures"/>.
/// </summary>
/// <remarks>
/// <see cref="Applied"/> holds, per <c>hub/partition</c>, the sequence number of the last event folded in.
/// One user's events arrive in order on one partition of each hub, so an event at or before that
/// position was already applied: a redelivered batch changes nothing (exactly-once on an at-least-once feed).
/// </remarks>
public sealed record PlayerProfile
{
    public required string GameId { get; init; }
    public required string UserId { get; init; }

    /// <summary>The game world of the latest event that named one.</summary>
    public string? Server { get; init; }

    /// <summary>Event time of the event that set <see cref="Server"/>.</summary>
    public DateTimeOffset ServerSince { get; init; }

    /// <summary>The platform of the latest session (<c>android</c>, <c>ios</c>, <c>pc</c>).</summary>
    public string? Platform { get; init; }

    /// <summary>Event time of the session that set <see cref="Platform"/>.</summary>
    public DateTimeOffset PlatformSince { get; init; }

    public int Level { get; init; }
    public DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset LastSeen { get; init; }

    public DecayingMean PvpResults { get; init; }
    public DecayingSum PvpMatches { get; init; }
    public DecayingSum DungeonClears { get; init; }
    public DecayingMean DungeonDifficulty { get; init; }
    public DecayingMean MainQuestShare { get; init; }
    public DecayingSum PlaySeconds { get; init; }
    public DecayingSum Deaths { get; init; }
    public DecayingSum Sessions { get; init; }
    public DecayingSum MarketSales { get; init; }
    public DecayingSum MarketValue { get; init; }

    /// <summary>Lifetime spend in the reference currency of <see cref="ProfileOptions.CurrencyRates"/>.</summary>
    public double Spend { get; init; }

    public long Purchases { get; init; }

    /// <summary>Last applied sequence number per <c>hub/partition</c>.</summary>
    public ImmutableDictionary<string, long> Applied { get; init; } = ImmutableDictionary<string, long>.Empty;

    /// <summary>
    /// In a stored profile, the part each hub's partition folded from its own events (keyed by hub); the profile's
    /// features are their merge (<see cref="ProfileFeatures.Merge"/>). Each partition replaces only its own part, so
    /// the game and payment hubs never overwrite each other. Empty in a part itself.
    /// </summary>
    public ImmutableDictionary<string, PlayerProfile> Parts { get; init; } = ImmutableDictionary<string, PlayerProfile>.Empty;

    public static PlayerProfile New(string gameId, string userId) => new() { GameId = gameId, UserId = userId };
}
