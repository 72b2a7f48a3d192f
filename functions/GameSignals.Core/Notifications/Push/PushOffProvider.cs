namespace GameSignals.Notifications.Push;

/// <summary>
/// Push turned off: a deployment whose studio has not set up a webhook or FCM yet still runs, and its players
/// still get every notification in their inbox. Each request is answered <see cref="PushOutcome.Off"/>, so the
/// sender neither retries it nor marks it delivered.
/// </summary>
public sealed class PushOffProvider : IPushProvider
{
    public ValueTask<PushOutcome> SendAsync(PushRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(PushOutcome.Off);
}
