using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using GameSignals.Core.Tests.Notifications;
using GameSignals.Functions.Notifications;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>
/// The queue-triggered push sender over the real composition, delivering to a webhook on 127.0.0.1; the queue's
/// <c>DequeueCount</c> binding data says which attempt this is.
/// </summary>
public sealed class PushSenderFunctionTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Uri _url;
    private readonly ConcurrentQueue<(string? Id, string? Signature, byte[] Body)> _received = new();
    private readonly NotificationsApp _app;
    private readonly FakeLogger<PushSenderFunction> _logger = new();
    private readonly MetricCollector<long> _poisoned;
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
        _poisoned = new MetricCollector<long>(_app.Services.GetRequiredService<NotificationMetrics>().PushPoisoned);
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

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(message, dequeueCount: "4"));

        Assert.False((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
        Assert.Empty(_poisoned.GetMeasurementSnapshot()); // attempt 4 of 5: not poison yet
        _status = 200;
        await RunAsync(message);
        Assert.Equal(2, _received.Count);
        Assert.True((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
    }

    [Fact]
    public async Task A_refused_push_is_completed_without_retry_or_delivery_mark_and_counted_as_poison()
    {
        var message = await StoredNotificationMessageAsync();
        _status = 400;

        await RunAsync(message);

        Assert.Single(_received);
        Assert.False((await _app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
        Assert.Equal("rejected", Assert.Single(_poisoned.GetMeasurementSnapshot()).Tags["reason"]);
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 203);
        Assert.Equal(("rejected", "n1"), (log.GetStructuredStateValue("Reason"), log.GetStructuredStateValue("NotificationId")));
    }

    [Fact]
    public async Task With_push_off_the_host_starts_without_webhook_or_fcm_settings_and_a_request_is_completed_unsent()
    {
        using var app = new NotificationsApp(new Dictionary<string, string?>
        {
            ["Push:Provider"] = "off",
            ["Push:Webhook:Url"] = "",
            ["Push:Webhook:Secret"] = "",
        });
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        var message = await StoredNotificationMessageAsync(app);
        var logger = new FakeLogger<PushSenderFunction>();

        await app.Create<PushSenderFunction>(logger).RunAsync(message, new TestFunctionContext(new Dictionary<string, object?> { ["DequeueCount"] = "1" }));

        Assert.Empty(_received);
        Assert.False((await app.Notifications.GetAsync("u1", "n1", CancellationToken.None))!.PushDelivered);
        Assert.Equal(205, Assert.Single(logger.Collector.GetSnapshot()).Id.Id);
    }

    [Fact]
    public async Task A_push_request_whose_notification_expired_or_is_not_json_sends_nothing_and_only_the_unreadable_one_is_poison()
    {
        await RunAsync(JsonSerializer.Serialize(new PushRequest("gone", "odin", "u1", "T", "B", "normal"), NotificationsJsonContext.Default.PushRequest));
        await RunAsync("{ not json");

        Assert.Empty(_received);
        Assert.Equal("malformed", Assert.Single(_poisoned.GetMeasurementSnapshot()).Tags["reason"]);
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 201);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("malformed", log.GetStructuredStateValue("Reason"));
    }

    [Fact]
    public async Task The_last_failed_attempt_is_counted_and_logged_with_its_reason_before_the_host_moves_it_to_the_poison_queue()
    {
        var message = await StoredNotificationMessageAsync();
        _status = 503;

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(message, dequeueCount: "5"));

        Assert.Equal("exhausted", Assert.Single(_poisoned.GetMeasurementSnapshot()).Tags["reason"]);
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 204);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("exhausted", log.GetStructuredStateValue("Reason"));
        Assert.Equal("n1", log.GetStructuredStateValue("NotificationId"));
        Assert.Equal("5", log.GetStructuredStateValue("DequeueCount"));
        Assert.Equal(PushSenderFunction.PoisonQueueName, log.GetStructuredStateValue("PoisonQueue"));
        Assert.Contains("could not take notification n1", log.GetStructuredStateValue("Detail"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_attempt_the_app_recognises_is_the_one_host_json_sets()
    {
        using var host = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "host.json")));
        var maxDequeueCount = host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32();

        Assert.Equal(maxDequeueCount, _app.Services.GetRequiredService<IOptions<PushOptions>>().Value.MaxDequeueCount);
    }

    public void Dispose()
    {
        _poisoned.Dispose();
        _app.Dispose();
        _listener.Close();
    }

    private Task RunAsync(string message, string dequeueCount = "1") =>
        _app.Create<PushSenderFunction>(_logger).RunAsync(message, new TestFunctionContext(new Dictionary<string, object?> { ["DequeueCount"] = dequeueCount }));

    private Task<string> StoredNotificationMessageAsync() => StoredNotificationMessageAsync(_app);

    private static async Task<string> StoredNotificationMessageAsync(NotificationsApp app)
    {
        var notification = new Notification
        {
            Id = "n1", RuleId = "r1", GameId = "odin", UserId = "u1", EventId = "e1", Time = DateTimeOffset.UnixEpoch.AddYears(56),
            Priority = "high", Channels = ["push"], Locale = "en", Title = "HP low", Body = "c1 has 244/4000 HP", Ttl = 3600,
        };
        await app.Notifications.CreateAsync(notification, CancellationToken.None);
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
