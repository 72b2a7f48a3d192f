using System.ComponentModel.DataAnnotations;

namespace GameSignals.Fraud;

/// <summary>Settings of the fraud stage (the host binds them from its configuration section <c>Fraud</c>).</summary>
public sealed class FraudOptions
{
    /// <summary>How long a game's settings are used before the store is asked again (changes apply within this time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00", ErrorMessage = "Fraud:ConfigRefreshInterval must be from 0.1 s to 1 day.")]
    public TimeSpan ConfigRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, in event time, device sightings are kept behind the newest login of their IP bucket. It bounds
    /// how late a login may arrive and still count, so it is far longer than any device-farm window.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Fraud:SightingRetention must be from 1 minute to 365 days.")]
    public TimeSpan SightingRetention { get; set; } = TimeSpan.FromDays(1);
}
