namespace GameSignals.Fraud;

/// <summary>Settings of the fraud stage (the host binds them from its configuration section <c>Fraud</c>).</summary>
public sealed class FraudOptions
{
    /// <summary>How long a game's settings are used before the store is asked again (changes apply within this time).</summary>
    public TimeSpan ConfigRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long, in event time, device sightings are kept behind the newest login of their IP bucket. It bounds
    /// how late a login may arrive and still count, so it is far longer than any device-farm window.
    /// </summary>
    public TimeSpan SightingRetention { get; set; } = TimeSpan.FromDays(1);
}
