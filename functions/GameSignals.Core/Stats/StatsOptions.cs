using System.ComponentModel.DataAnnotations;

namespace GameSignals.Stats;

public sealed class StatsOptions
{
    /// <summary>How often a game's stats settings are read again from the store.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Stats:SettingsRefreshInterval must be from 0.1 s to 1 hour.")]
    public TimeSpan SettingsRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most how many players' standings the peers cache holds.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Stats:PeersCacheSize must be from 1 to 10,000,000.")]
    public int PeersCacheSize { get; set; } = 100_000;
}
