namespace GameSignals.Notifications;

public sealed class NotificationOptions
{
    /// <summary>How long a notification lives, in event time (the container's TTL).</summary>
    public TimeSpan InboxTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a shadow rule's record lives, in event time (its container's TTL).</summary>
    public TimeSpan ShadowRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the rule cache asks the store whether a game's rules changed.</summary>
    public TimeSpan RuleRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
