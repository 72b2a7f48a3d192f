using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using GameSignals.Core.Tests.Notifications;
using GameSignals.Functions.Notifications;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>The queue-triggered push sender over the real composition, delivering to a webhook on 127.0.0.1.</summary>
public sealed class PushSenderFunctionTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Uri _url;
    private readonly ConcurrentQueue<(string? Id, string? Signature, byte[] Body)> _received = new();
    private readonly NotificationsApp _app;
    private int _status = 200;

    public PushSenderFunctionTests()
    {
        (_listener, var root) = LoopbackListener.Start();
        _url = new Uri(root, "push");
        _ = ServeAsync();
        _app = new NotificationsApp(new Dictionary<string, string?>
        {
            ["Push:Provider"] = "webhook",
            ["Push:Webhook:Url"] = _url.ToString(),
            ["Push:Webhook:Secret"] = "s3cret",
        });
    }

    [Fact]
    public async Task A_push_request_is_posted_signed_to_the_webhook_and_its_notification_marked_delivered()
    {
        var message = await StoredNotificationMessageAsync();

        await RunAsync(message);

        var (id, signature, body) = Assert.Single(_received);
        Assert.Equal("n1", id);
        Assert.Equal(WebhookPushProvider.Sign(body, "s3cret"), signature);
        Assert.True((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
    }

    [Fact]
    public async Task A_redelivered_push_request_of_a_delivered_notification_sends_nothing()
    {
        var message = await StoredNotificationMessageAsync();

        await RunAsync(message);
        await RunAsync(message);

        Assert.Single(_received);
    }

    [Fact]
    public async Task A_busy_provider_fails_the_invocation_so_the_queue_retries_and_nothing_is_marked()
    {
        var message = await StoredNotificationMessageAsync();
        _status = 503;

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(message));

        Assert.False((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
        _status = 200;
        await RunAsync(message);
        Assert.Equal(2, _received.Count);
        Assert.True((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
    }

    [Fact]
    public async Task A_refused_push_is_completed_without_retry_or_delivery_mark()
    {
        var message = await StoredNotificationMessageAsync();
        _status = 400;

        await RunAsync(message);

        Assert.Single(_received);
        Assert.False((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
    }

    [Fact]
    public async Task A_push_request_whose_notification_expired_or_is_not_json_sends_nothing()
    {
        await RunAsync(JsonSerializer.Serialize(new PushRequest("gone", "odin", "u1", "T", "B", "normal"), NotificationsJsonContext.Default.PushRequest));
        await RunAsync("{ not json");

        Assert.Empty(_received);
    }

    public void Dispose()
    {
        _app.Dispose();
        _listener.Close();
    }

    private Task RunAsync(string message) =>
        _app.Create<PushSenderFunction>().RunAsync(message, new TestFunctionContext(new Dictionary<string, object?>()));

    private async Task<string> StoredNotificationMessageAsync()
    {
        var notification = new Notification
        {
            Id = "n1", RuleId = "r1", GameId = "odin", UserId = "u1", EventId = "e1", Time = DateTimeOffset.UnixEpoch.AddYears(56),
            Priority = "high", Channels = ["push"], Locale = "en", Title = "HP low", Body = "c1 has 244/4000 HP", Ttl = 3600,
        };
        await _app.Notifications.CreateAsync(notification, CancellationToken.None);
        return JsonSerializer.Serialize(new PushRequest("n1", "odin", "u1", notification.Title, notification.Body, "high"), NotificationsJsonContext.Default.PushRequest);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Enqueue((context.Request.Headers[WebhookPushProvider.IdHeader], context.Request.Headers[WebhookPushProvider.SignatureHeader], body.ToArray()));
            context.Response.StatusCode = _status;
            context.Response.Close();
        }
    }
}
