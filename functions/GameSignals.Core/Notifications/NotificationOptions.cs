using System.ComponentModel.DataAnnotations;

namespace GameSignals.Notifications;

public sealed class NotificationOptions
{
    /// <summary>How long a notification lives, in event time (the container's TTL).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Notifications:InboxTtl must be from 1 hour to 3650 days.")]
    public TimeSpan InboxTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a shadow rule's record lives, in event time (its container's TTL).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Notifications:ShadowRetention must be from 1 hour to 3650 days.")]
    public TimeSpan ShadowRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the rule cache asks the store whether a game's rules changed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Notifications:RuleRefreshInterval must be from 0.1 s to 1 hour.")]
    public TimeSpan RuleRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
