using System.Diagnostics.Metrics;

namespace GameSignals.Notifications;

/// <summary>The notification stage's instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class NotificationMetrics : IDisposable
{
    public const string MeterName = "GameSignals.Notifications";

    private readonly Meter _meter;

    public NotificationMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Created = _meter.CreateCounter<long>("gamesignals.notifications.created", "{notification}", "Notifications written, by rule.");
        Suppressed = _meter.CreateCounter<long>("gamesignals.notifications.suppressed", "{notification}", "Matches suppressed by a rule's cooldown.");
        ConditionNoMatch = _meter.CreateCounter<long>("gamesignals.notifications.condition.unevaluable", "{evaluation}", "Conditions that read a missing field or failed to evaluate (no match), by reason.");
        PushEnqueued = _meter.CreateCounter<long>("gamesignals.notifications.push.enqueued", "{request}", "Push requests queued.");
        PushPoisoned = _meter.CreateCounter<long>("gamesignals.notifications.push.poisoned", "{request}",
            "Push requests that will never be delivered (tag reason = malformed|rejected|exhausted; exhausted ones move to push-requests-poison).");
        ShadowRecorded = _meter.CreateCounter<long>("gamesignals.notifications.shadow.recorded", "{notification}", "Notifications a shadow rule would have sent, recorded apart, by rule.");
        InvalidStoredRules = _meter.CreateCounter<long>("gamesignals.notifications.rules.invalid", "{rule}", "Stored rules skipped because they do not compile.");
    }

    public Counter<long> Created { get; }

    public Counter<long> Suppressed { get; }

    public Counter<long> ConditionNoMatch { get; }

    public Counter<long> PushEnqueued { get; }

    public Counter<long> PushPoisoned { get; }

    public Counter<long> ShadowRecorded { get; }

    public Counter<long> InvalidStoredRules { get; }

    public void Dispose() => _meter.Dispose();
}
