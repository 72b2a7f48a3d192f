using System.Collections.Immutable;
using GameSignals.Events;

namespace GameSignals.Profiles;

/// <summary>One numeric feature: how it is read from a profile and whether it is log-compressed before scaling.</summary>
public sealed record ProfileFeature(string Name, TimeSpan? HalfLife, bool Logarithmic, Func<PlayerProfile, double> Read);

/// <summary>
/// The features of a player profile, the event-time half-lives of their moving averages, and how events
/// update them. Recency-weighted values are decaying sums or means (<see cref="DecayingSum"/>,
/// <see cref="DecayingMean"/>): an event's weight halves every half-life of event time, whatever the number
/// of events in between. Rates are read at the player's <c>lastSeen</c>.
/// <list type="table">
/// <listheader><term>feature</term><description>meaning (source events) · half-life</description></listheader>
/// <item><term>level</term><description>highest level reached (<c>character.level_up</c>) · none</description></item>
/// <item><term>pvpWinRate</term><description>weighted mean of PvP results, win 1, draw 0.5, loss 0, smoothed towards 0.5 (<c>pvp.match_ended</c>) · 7 days</description></item>
/// <item><term>pvpMatchesPerDay</term><description>PvP matches a day (<c>pvp.match_ended</c>) · 7 days</description></item>
/// <item><term>dungeonClearsPerDay</term><description>dungeon clears a day (<c>dungeon.cleared</c>) · 7 days</description></item>
/// <item><term>dungeonDifficulty</term><description>weighted mean difficulty (1-5) of clears; 0 before any (<c>dungeon.cleared</c>) · 14 days</description></item>
/// <item><term>mainQuestShare</term><description>weighted share of main quests among completed quests (main 1, side 0), smoothed towards 0.5 (<c>quest.completed</c>) · 14 days</description></item>
/// <item><term>playHoursPerDay</term><description>hours played a day, from session durations (<c>session.ended</c>) · 7 days</description></item>
/// <item><term>deathsPerPlayHour</term><description>deaths per hour played, play time floored at half an hour (<c>character.died</c>, <c>session.ended</c>) · 7 days</description></item>
/// <item><term>sessionsPerDay</term><description>sessions started a day (<c>session.started</c>) · 7 days</description></item>
/// <item><term>marketSalesPerDay</term><description>market sales a day (<c>market.item_sold</c>) · 7 days</description></item>
/// <item><term>marketValuePerDay</term><description>price × quantity sold a day, log-compressed (<c>market.item_sold</c>) · 7 days</description></item>
/// <item><term>spend</term><description>lifetime spend in the reference currency, log-compressed (<c>purchase.completed</c>) · none</description></item>
/// <item><term>purchases</term><description>lifetime purchase count (<c>purchase.completed</c>) · none</description></item>
/// <item><term>platform.android, .ios, .pc</term><description>one-hot platform of the latest session (<c>session.started</c>) · none</description></item>
/// </list>
/// <c>lastSeen</c> and <c>server</c> are kept for filters, not for similarity. Shares are smoothed as if
/// <see cref="PriorObservations"/> observations of 0.5 had been made, so one quest or match does not make an extreme.
/// "Log-compressed" features go through <c>ln(1 + x)</c> before scaling (they span orders of magnitude).
/// A "per day" rate divides the decaying sum by the decaying exposure since first seen,
/// <c>h/ln2 · (1 - 2^(-age/h))</c> days, floored at one day so a five-minute visitor does not get a
/// 288-sessions-a-day rate.
/// </summary>
public static class ProfileFeatures
{
    public static readonly TimeSpan ShortHalfLife = TimeSpan.FromDays(7);
    public static readonly TimeSpan LongHalfLife = TimeSpan.FromDays(14);

    /// <summary>Platforms one-hot encoded in vectors, in vector order.</summary>
    public static readonly IReadOnlyList<string> Platforms = ["android", "ios", "pc"];

    public const double PriorObservations = 2;

    private const double MinimumPlayHours = 0.5;

    /// <summary>The numeric features, in vector order (the platform one-hot follows them).</summary>
    public static readonly IReadOnlyList<ProfileFeature> Numeric =
    [
        new("level", null, false, p => p.Level),
        new("pvpWinRate", ShortHalfLife, false, p => p.PvpResults.Smoothed(0.5, PriorObservations, ShortHalfLife)),
        new("pvpMatchesPerDay", ShortHalfLife, false, p => PerDay(p, p.PvpMatches)),
        new("dungeonClearsPerDay", ShortHalfLife, false, p => PerDay(p, p.DungeonClears)),
        new("dungeonDifficulty", LongHalfLife, false, p => p.DungeonDifficulty.MeanOr(0, LongHalfLife)),
        new("mainQuestShare", LongHalfLife, false, p => p.MainQuestShare.Smoothed(0.5, PriorObservations, LongHalfLife)),
        new("playHoursPerDay", ShortHalfLife, false, p => PerDay(p, p.PlaySeconds) / 3600),
        new("deathsPerPlayHour", ShortHalfLife, false, p =>
            p.Deaths.ValueAt(p.LastSeen, ShortHalfLife) / Math.Max(MinimumPlayHours, p.PlaySeconds.ValueAt(p.LastSeen, ShortHalfLife) / 3600)),
        new("sessionsPerDay", ShortHalfLife, false, p => PerDay(p, p.Sessions)),
        new("marketSalesPerDay", ShortHalfLife, false, p => PerDay(p, p.MarketSales)),
        new("marketValuePerDay", ShortHalfLife, true, p => PerDay(p, p.MarketValue)),
        new("spend", null, true, p => p.Spend),
        new("purchases", null, false, p => p.Purchases),
    ];

    /// <summary>Length of a profile vector: numeric features then the platform one-hot.</summary>
    public static int VectorLength => Numeric.Count + Platforms.Count;

    /// <summary>Feature name to value, numeric features then the platform one-hot (the replay row's <c>features</c>).</summary>
    public static IReadOnlyDictionary<string, double> Read(PlayerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var features = new Dictionary<string, double>(VectorLength, StringComparer.Ordinal);
        foreach (var feature in Numeric)
        {
            features[feature.Name] = feature.Read(profile);
        }

        foreach (var platform in Platforms)
        {
            features["platform." + platform] = string.Equals(profile.Platform, platform, StringComparison.Ordinal) ? 1 : 0;
        }

        return features;
    }

    /// <summary>Whether an event type changes a profile; other types (unknown ones included) create none.</summary>
    public static bool IsProfileEvent(string type) => type switch
    {
        EventTypes.SessionStarted or EventTypes.SessionEnded or EventTypes.HpChanged or EventTypes.CharacterDied
            or EventTypes.LevelUp or EventTypes.PvpMatchEnded or EventTypes.DungeonCleared or EventTypes.QuestCompleted
            or EventTypes.ItemSold or EventTypes.InventoryFull or EventTypes.AutoBattleStopped
            or EventTypes.PurchaseCompleted or EventTypes.PurchaseRefunded => true,
        _ => false,
    };

    /// <summary>
    /// Folds events' facts into a profile (no position bookkeeping; see <see cref="ProfileUpdater"/>): the features change in
    /// a mutable copy and one profile is built at the end, where a record copy per event allocated a whole profile per event.
    /// </summary>
    public struct Fold
    {
        private readonly PlayerProfile _start;
        private string? _server;
        private DateTimeOffset _serverSince;
        private string? _platform;
        private DateTimeOffset _platformSince;
        private int _level;
        private DateTimeOffset _firstSeen;
        private DateTimeOffset _lastSeen;
        private DecayingMean _pvpResults;
        private DecayingSum _pvpMatches;
        private DecayingSum _dungeonClears;
        private DecayingMean _dungeonDifficulty;
        private DecayingMean _mainQuestShare;
        private DecayingSum _playSeconds;
        private DecayingSum _deaths;
        private DecayingSum _sessions;
        private DecayingSum _marketSales;
        private DecayingSum _marketValue;
        private double _spend;
        private long _purchases;

        public Fold(PlayerProfile start)
        {
            ArgumentNullException.ThrowIfNull(start);
            _start = start;
            _server = start.Server;
            _serverSince = start.ServerSince;
            _platform = start.Platform;
            _platformSince = start.PlatformSince;
            _level = start.Level;
            _firstSeen = start.FirstSeen;
            _lastSeen = start.LastSeen;
            _pvpResults = start.PvpResults;
            _pvpMatches = start.PvpMatches;
            _dungeonClears = start.DungeonClears;
            _dungeonDifficulty = start.DungeonDifficulty;
            _mainQuestShare = start.MainQuestShare;
            _playSeconds = start.PlaySeconds;
            _deaths = start.Deaths;
            _sessions = start.Sessions;
            _marketSales = start.MarketSales;
            _marketValue = start.MarketValue;
            _spend = start.Spend;
            _purchases = start.Purchases;
        }

        /// <summary>Folds one event's fact in.</summary>
        public void Apply(in ProfileFact fact)
        {
            var t = fact.Time;
            _firstSeen = _firstSeen == default || t < _firstSeen ? t : _firstSeen;
            if (t >= _lastSeen)
            {
                _lastSeen = t;
                if (fact.Server is not null)
                {
                    // As the platform's below: an event's copy written into every player's fold had each collection scan
                    // the card of nearly every player (the old generation's references to young strings, found with ClrMD).
                    _server = fact.Server == _server ? _server : fact.Server;
                    _serverSince = t;
                }
            }

            switch (fact.Kind)
            {
                case ProfileFactKind.SessionStarted:
                    _sessions = _sessions.Add(1, t, ShortHalfLife);
                    // The platform of the latest session, even when later payment events moved lastSeen on.
                    if (fact.Platform is not null && t >= _platformSince)
                    {
                        // The held string is kept when equal: the fold lives long, the event's string is young.
                        _platform = fact.Platform == _platform ? _platform : fact.Platform;
                        _platformSince = t;
                    }

                    break;
                case ProfileFactKind.PlaySeconds:
                    _playSeconds = _playSeconds.Add(fact.Value, t, ShortHalfLife);
                    break;
                case ProfileFactKind.Died:
                    _deaths = _deaths.Add(1, t, ShortHalfLife);
                    break;
                case ProfileFactKind.Level:
                    _level = Math.Max(_level, (int)fact.Value);
                    break;
                case ProfileFactKind.PvpMatch:
                    _pvpMatches = _pvpMatches.Add(1, t, ShortHalfLife);
                    if (!double.IsNaN(fact.Value))
                    {
                        _pvpResults = _pvpResults.Add(fact.Value, t, ShortHalfLife);
                    }

                    break;
                case ProfileFactKind.DungeonCleared:
                    _dungeonClears = _dungeonClears.Add(1, t, ShortHalfLife);
                    if (!double.IsNaN(fact.Value))
                    {
                        _dungeonDifficulty = _dungeonDifficulty.Add(fact.Value, t, LongHalfLife);
                    }

                    break;
                case ProfileFactKind.QuestCompleted:
                    _mainQuestShare = _mainQuestShare.Add(fact.Value, t, LongHalfLife);
                    break;
                case ProfileFactKind.ItemSold:
                    _marketSales = _marketSales.Add(1, t, ShortHalfLife);
                    _marketValue = _marketValue.Add(fact.Value, t, ShortHalfLife);
                    break;
                case ProfileFactKind.Purchase:
                    _purchases++;
                    _spend += fact.Value;
                    break;
            }
        }

        /// <summary>Event time of the latest fact folded in (or of the start).</summary>
        public readonly DateTimeOffset LastSeen => _lastSeen;

        /// <summary>The profile the fold started from with the facts folded in.</summary>
        public readonly PlayerProfile ToProfile(ImmutableDictionary<string, long> applied) => _start with
        {
            Server = _server,
            ServerSince = _serverSince,
            Platform = _platform,
            PlatformSince = _platformSince,
            Level = _level,
            FirstSeen = _firstSeen,
            LastSeen = _lastSeen,
            PvpResults = _pvpResults,
            PvpMatches = _pvpMatches,
            DungeonClears = _dungeonClears,
            DungeonDifficulty = _dungeonDifficulty,
            MainQuestShare = _mainQuestShare,
            PlaySeconds = _playSeconds,
            Deaths = _deaths,
            Sessions = _sessions,
            MarketSales = _marketSales,
            MarketValue = _marketValue,
            Spend = _spend,
            Purchases = _purchases,
            Applied = applied,
        };
    }

    /// <summary>
    /// The stored profile made of its parts (one per hub, folded apart): sums and means add up (they are linear in
    /// their terms), counts add, the level is the highest, first and last seen the earliest and latest, and the server
    /// and platform are those of the part whose setting event is the latest.
    /// </summary>
    public static PlayerProfile Merge(string gameId, string userId, ImmutableDictionary<string, PlayerProfile> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var merged = PlayerProfile.New(gameId, userId);
        foreach (var hub in parts.Keys.Order(StringComparer.Ordinal))
        {
            merged = Combine(merged, parts[hub]);
        }

        return merged with { Parts = parts };
    }

    private static PlayerProfile Combine(PlayerProfile a, PlayerProfile b)
    {
        var bServer = b.Server is not null && (a.Server is null || b.ServerSince > a.ServerSince);
        var bPlatform = b.Platform is not null && (a.Platform is null || b.PlatformSince > a.PlatformSince);
        return a with
        {
            Server = bServer ? b.Server : a.Server,
            ServerSince = bServer ? b.ServerSince : a.ServerSince,
            Platform = bPlatform ? b.Platform : a.Platform,
            PlatformSince = bPlatform ? b.PlatformSince : a.PlatformSince,
            Level = Math.Max(a.Level, b.Level),
            FirstSeen = a.FirstSeen == default || (b.FirstSeen != default && b.FirstSeen < a.FirstSeen) ? b.FirstSeen : a.FirstSeen,
            LastSeen = b.LastSeen > a.LastSeen ? b.LastSeen : a.LastSeen,
            PvpResults = a.PvpResults.Plus(b.PvpResults, ShortHalfLife),
            PvpMatches = a.PvpMatches.Plus(b.PvpMatches, ShortHalfLife),
            DungeonClears = a.DungeonClears.Plus(b.DungeonClears, ShortHalfLife),
            DungeonDifficulty = a.DungeonDifficulty.Plus(b.DungeonDifficulty, LongHalfLife),
            MainQuestShare = a.MainQuestShare.Plus(b.MainQuestShare, LongHalfLife),
            PlaySeconds = a.PlaySeconds.Plus(b.PlaySeconds, ShortHalfLife),
            Deaths = a.Deaths.Plus(b.Deaths, ShortHalfLife),
            Sessions = a.Sessions.Plus(b.Sessions, ShortHalfLife),
            MarketSales = a.MarketSales.Plus(b.MarketSales, ShortHalfLife),
            MarketValue = a.MarketValue.Plus(b.MarketValue, ShortHalfLife),
            Spend = a.Spend + b.Spend,
            Purchases = a.Purchases + b.Purchases,
            Applied = a.Applied.SetItems(b.Applied),
        };
    }

    private static double PerDay(PlayerProfile p, DecayingSum sum)
    {
        var halfLifeDays = ShortHalfLife.TotalDays;
        var ageDays = (p.LastSeen - p.FirstSeen).TotalDays;
        var exposureDays = halfLifeDays / Math.Log(2) * (1 - double.Exp2(-ageDays / halfLifeDays));
        return sum.ValueAt(p.LastSeen, ShortHalfLife) / Math.Max(1, exposureDays);
    }
}
