using System.Net;
using System.Text.Json;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;

namespace GameSignals.Core.Tests.Notifications;

public sealed class WebhookPushProviderTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Uri _url;
    private readonly HttpClient _http = new();

    public WebhookPushProviderTests()
    {
        (_listener, var root) = LoopbackListener.Start();
        _url = new Uri(root, "push");
    }

    private static readonly PushRequest Request = new("n1", "odin", "u1", "HP low", "c1 has 244/4000 HP", "high");

    private async Task<(PushOutcome Outcome, byte[] Body, string? Signature, string? Id)> SendAnsweringAsync(int status, string secret = "s3cret")
    {
        var provider = new WebhookPushProvider(_http, new WebhookPushOptions { Url = _url, Secret = secret });
        var contextTask = _listener.GetContextAsync();
        var send = provider.SendAsync(Request, CancellationToken.None).AsTask();
        var context = await contextTask;
        using var buffer = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(buffer);
        var signature = context.Request.Headers[WebhookPushProvider.SignatureHeader];
        var id = context.Request.Headers[WebhookPushProvider.IdHeader];
        context.Response.StatusCode = status;
        context.Response.Close();
        return (await send, buffer.ToArray(), signature, id);
    }

    [Fact]
    public async Task The_webhook_receives_the_request_with_a_signature_it_can_verify()
    {
        var (outcome, body, signature, id) = await SendAnsweringAsync(200);

        Assert.Equal(PushOutcome.Delivered, outcome);
        Assert.Equal(WebhookPushProvider.Sign(body, "s3cret"), signature);
        Assert.NotEqual(WebhookPushProvider.Sign(body, "other"), signature);
        Assert.Equal("n1", id);
        var received = JsonSerializer.Deserialize(body, NotificationsJsonContext.Default.PushRequest);
        Assert.Equal(Request, received);
    }

    [Fact]
    public async Task A_server_error_asks_for_a_retry_and_a_client_error_is_a_rejection()
    {
        Assert.Equal(PushOutcome.Retry, (await SendAnsweringAsync(503)).Outcome);
        Assert.Equal(PushOutcome.Retry, (await SendAnsweringAsync(429)).Outcome);
        Assert.Equal(PushOutcome.Rejected, (await SendAnsweringAsync(400)).Outcome);
    }

    [Fact]
    public void The_signature_is_the_hmac_sha256_of_the_body_in_lower_hex()
    {
        // RFC 4231 test case 2.
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", WebhookPushProvider.Sign("what do ya want for nothing?"u8, "Jefe"));
    }

    public void Dispose()
    {
        _listener.Close();
        _http.Dispose();
    }
}
