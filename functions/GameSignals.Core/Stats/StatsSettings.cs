using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using GameSignals.Fraud;
using GameSignals.Profiles;

namespace GameSignals.Stats;

/// <summary>The file <c>stats.json</c> (contract §9): stats settings per game id.</summary>
public sealed class StatsSettingsDocument
{
    public Dictionary<string, GameStatsSettings> Games { get; init; } = [];
}

/// <summary>One game's stats settings as configured; <see cref="StatsSettingsValidator"/> checks and compiles them.</summary>
public sealed class GameStatsSettings
{
    public PeersSettings? Peers { get; init; }

    public MomentsSettings? Moments { get; init; }

    /// <summary>Absent: every player of the game gets the stats messages.</summary>
    public ExperimentSettings? Experiment { get; init; }
}

public sealed class PeersSettings
{
    /// <summary>How many most similar players a player is compared with (1 to 100).</summary>
    public int K { get; init; }

    /// <summary>Fewer peers found than this sends nothing (default: k).</summary>
    public int? MinPeers { get; init; }

    /// <summary>ISO 8601 duration of event time a player's standing is reused for (default PT15M).</summary>
    public string? CacheFor { get; init; }
}

public sealed class MomentsSettings
{
    /// <summary>The levels whose reaching is a milestone.</summary>
    public List<int>? Levels { get; init; }

    public CountInWindow? DeathsInZone { get; init; }

    public LossStreakSettings? PvpLossStreak { get; init; }

    public DungeonAttemptsSettings? DungeonAttempts { get; init; }
}

public class CountInWindow
{
    public int Count { get; init; }

    /// <summary>ISO 8601 duration of event time.</summary>
    public string? Window { get; init; }
}

public sealed class LossStreakSettings
{
    public int Count { get; init; }
}

public sealed class DungeonAttemptsSettings : CountInWindow
{
    /// <summary>Zone to dungeon id: a death in the zone is a failed attempt at the dungeon.</summary>
    public Dictionary<string, string>? Zones { get; init; }
}

public sealed class ExperimentSettings
{
    public string? Id { get; init; }

    /// <summary>The share of players in the treatment arm, 0 to 1.</summary>
    public double TreatmentShare { get; init; }
}

/// <summary>A game's validated stats settings.</summary>
public sealed record StatsPolicy(string GameId, int K, int MinPeers, TimeSpan CacheFor, MomentPolicy Moments, ExperimentPolicy? Experiment);

/// <summary>The thresholds of moments; a null threshold turns its moment off.</summary>
public sealed record MomentPolicy(
    IReadOnlySet<int> Levels, (int Count, TimeSpan Window)? DeathsInZone, int? PvpLossStreak, (int Count, TimeSpan Window)? DungeonAttempts,
    IReadOnlyDictionary<string, string> DungeonZones)
{
    /// <summary>The longest window, how long a player's deaths are kept.</summary>
    public TimeSpan LongestWindow => TimeSpan.FromTicks(Math.Max(DeathsInZone?.Window.Ticks ?? 0, DungeonAttempts?.Window.Ticks ?? 0));
}

public sealed record ExperimentPolicy(string Id, double TreatmentShare);

/// <summary>Checks a game's stats settings field by field.</summary>
public static class StatsSettingsValidator
{
    public const int MaxCount = 100;
    public static readonly TimeSpan DefaultCacheFor = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>The compiled policy, or null after adding every problem (paths under <paramref name="prefix"/>) to <paramref name="problems"/>.</summary>
    public static StatsPolicy? TryCompile(string gameId, GameStatsSettings settings, List<ConfigProblem> problems, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add(new ConfigProblem(prefix.Length == 0 ? field : prefix + "." + field, message));

        var k = 0;
        var minPeers = 0;
        var cacheFor = DefaultCacheFor;
        if (settings.Peers is not { } peers)
        {
            Problem("peers", "is required");
        }
        else
        {
            k = peers.K;
            if (k is < 1 or > SimilarityService.MaxK)
            {
                Problem("peers.k", $"must be from 1 to {SimilarityService.MaxK}, was {k}");
            }

            minPeers = peers.MinPeers ?? k;
            if (minPeers < 1 || minPeers > Math.Max(1, k))
            {
                Problem("peers.minPeers", $"must be from 1 to k ({k}), was {minPeers}");
            }

            if (peers.CacheFor is not null)
            {
                cacheFor = Duration(peers.CacheFor, "peers.cacheFor", TimeSpan.FromDays(1), Problem);
            }
        }

        var moments = settings.Moments ?? new MomentsSettings();
        var levels = new HashSet<int>();
        for (var i = 0; i < (moments.Levels?.Count ?? 0); i++)
        {
            if (moments.Levels![i] < 1)
            {
                Problem($"moments.levels[{i}]", $"must be a level of at least 1, was {moments.Levels[i]}");
            }

            levels.Add(moments.Levels[i]);
        }

        var deaths = CountAndWindow(moments.DeathsInZone, "moments.deathsInZone", Problem);
        int? streak = null;
        if (moments.PvpLossStreak is { } lossStreak)
        {
            streak = Count(lossStreak.Count, "moments.pvpLossStreak.count", Problem);
        }

        var attempts = CountAndWindow(moments.DungeonAttempts, "moments.dungeonAttempts", Problem);
        var zones = moments.DungeonAttempts?.Zones ?? [];
        if (moments.DungeonAttempts is not null && zones.Count == 0)
        {
            Problem("moments.dungeonAttempts.zones", "name at least one zone and the dungeon it belongs to");
        }

        foreach (var (zone, dungeon) in zones)
        {
            if (string.IsNullOrWhiteSpace(zone) || string.IsNullOrWhiteSpace(dungeon))
            {
                Problem($"moments.dungeonAttempts.zones.{zone}", "zones and dungeon ids must not be empty");
            }
        }

        ExperimentPolicy? experiment = null;
        if (settings.Experiment is { } x)
        {
            if (x.Id is null || !Ids.IsResourceId(x.Id))
            {
                Problem("experiment.id", $"'{x.Id}' is not a valid id: {Ids.ResourceIdRule}");
            }

            if (!double.IsFinite(x.TreatmentShare) || x.TreatmentShare is < 0 or > 1)
            {
                Problem("experiment.treatmentShare", $"must be from 0 to 1, was {x.TreatmentShare}");
            }

            experiment = new ExperimentPolicy(x.Id ?? "", x.TreatmentShare);
        }

        return problems.Count > before
            ? null
            : new StatsPolicy(gameId, k, minPeers, cacheFor, new MomentPolicy(levels, deaths, streak, attempts, zones.ToDictionary(StringComparer.Ordinal)), experiment);
    }

    private static (int, TimeSpan)? CountAndWindow(CountInWindow? setting, string field, Action<string, string> problem) =>
        setting is null ? null : (Count(setting.Count, field + ".count", problem), Duration(setting.Window, field + ".window", MaxWindow, problem));

    private static int Count(int count, string field, Action<string, string> problem)
    {
        if (count is < 2 or > MaxCount)
        {
            problem(field, $"must be from 2 to {MaxCount}, was {count}");
        }

        return count;
    }

    private static TimeSpan Duration(string? text, string field, TimeSpan max, Action<string, string> problem)
    {
        try
        {
            var duration = XmlConvert.ToTimeSpan(text ?? throw new FormatException());
            if (duration > TimeSpan.Zero && duration <= max)
            {
                return duration;
            }

            problem(field, $"'{text}' must be positive and at most {XmlConvert.ToString(max)}");
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            problem(field, $"'{text}' is not an ISO 8601 duration such as PT10M");
        }

        return TimeSpan.Zero;
    }
}

/// <summary>Reads <c>stats.json</c> and admin bodies.</summary>
public static class StatsSettingsLoader
{
    /// <summary>Validates every game of the file; throws <see cref="StatsSettingsException"/> listing every problem.</summary>
    public static IReadOnlyDictionary<string, StatsPolicy> Load(StatsSettingsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<ConfigProblem>();
        var policies = new Dictionary<string, StatsPolicy>(StringComparer.Ordinal);
        foreach (var (gameId, game) in document.Games)
        {
            if (StatsSettingsValidator.TryCompile(gameId, game, problems, "games." + gameId) is { } policy)
            {
                policies[gameId] = policy;
            }
        }

        return problems.Count == 0 ? policies : throw new StatsSettingsException(problems);
    }

    /// <summary>Parses without validating; a JSON error is reported with its path.</summary>
    public static StatsSettingsDocument Parse(ReadOnlySpan<byte> utf8Json) => Deserialize(utf8Json, StatsJsonContext.Default.StatsSettingsDocument);

    /// <summary>Parses one game's settings (the body of an admin call) without validating.</summary>
    public static GameStatsSettings ParseGame(ReadOnlySpan<byte> utf8Json) => Deserialize(utf8Json, StatsJsonContext.Default.GameStatsSettings);

    private static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, type) ?? throw new StatsSettingsException([new ConfigProblem("$", "the document is null")]);
        }
        catch (JsonException e)
        {
            throw new StatsSettingsException([new ConfigProblem(e.Path ?? "$", e.Message)]);
        }
    }
}

/// <summary>Stats settings that cannot be used, with every problem found.</summary>
public sealed class StatsSettingsException(IReadOnlyList<ConfigProblem> problems)
    : Exception("Invalid stats settings: " + string.Join("; ", problems))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(StatsSettingsDocument))]
[JsonSerializable(typeof(GameStatsSettings))]
internal sealed partial class StatsJsonContext : JsonSerializerContext;
