using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Core.Tests.Notifications;

public sealed class FcmPushProviderTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Uri _root;
    private readonly HttpClient _http = new();
    // One key for the class: generating RSA keys is slow on a busy machine.
    private static readonly RSA Key = RSA.Create(2048);
    private readonly List<string> _assertions = [];
    private readonly List<(string? Authorization, JsonElement Body)> _messages = [];
    private readonly CancellationTokenSource _stop = new();

    public FcmPushProviderTests()
    {
        (_listener, _root) = LoopbackListener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int MessageStatus { get; set; } = 200;

    /// <summary>A stand-in for Google's token endpoint and FCM's send endpoint.</summary>
    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (context.Request.Url!.AbsolutePath == "/token")
            {
                var form = body.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
                Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
                lock (_assertions)
                {
                    _assertions.Add(form["assertion"]);
                }

                await Respond(context, 200, """{"access_token":"tok-1","expires_in":3600,"token_type":"Bearer"}""");
            }
            else
            {
                Assert.Equal("/v1/projects/proj-1/messages:send", context.Request.Url.AbsolutePath);
                lock (_messages)
                {
                    _messages.Add((context.Request.Headers["Authorization"], JsonDocument.Parse(body).RootElement.Clone()));
                }

                await Respond(context, MessageStatus, "{}");
            }
        }
    }

    private static async Task Respond(HttpListenerContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(json);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private FcmPushProvider Provider(TimeProvider time) => new(_http, new FcmPushOptions
    {
        Endpoint = _root,
        ServiceAccountJson = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["client_email"] = "sender@proj-1.iam.gserviceaccount.com",
            ["private_key"] = Key.ExportPkcs8PrivateKeyPem(),
            ["token_uri"] = new Uri(_root, "token").ToString(),
            ["project_id"] = "proj-1",
        }),
    }, time);

    [Fact]
    public async Task A_push_is_sent_with_a_token_from_a_signed_service_account_assertion_and_the_token_is_reused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        using var provider = Provider(clock);

        Assert.Equal(PushOutcome.Delivered, await provider.SendAsync(new PushRequest("n1", "odin", "u1", "HP low", "c1 has 244/4000 HP", "high"), CancellationToken.None));
        Assert.Equal(PushOutcome.Delivered, await provider.SendAsync(new PushRequest("n2", "odin", "u2", "T", "B", "normal"), CancellationToken.None));

        var assertion = Assert.Single(_assertions).Split('.');
        Assert.True(Key.VerifyData(Encoding.ASCII.GetBytes(assertion[0] + "." + assertion[1]), System.Buffers.Text.Base64Url.DecodeFromChars(assertion[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var claims = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(assertion[1])).RootElement;
        Assert.Equal("sender@proj-1.iam.gserviceaccount.com", claims.GetProperty("iss").GetString());
        Assert.Equal("https://www.googleapis.com/auth/firebase.messaging", claims.GetProperty("scope").GetString());
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());

        Assert.Equal(2, _messages.Count);
        Assert.All(_messages, m => Assert.Equal("Bearer tok-1", m.Authorization));
        var first = _messages[0].Body.GetProperty("message");
        Assert.Equal("odin-u1", first.GetProperty("topic").GetString());
        Assert.Equal("c1 has 244/4000 HP", first.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("HIGH", first.GetProperty("android").GetProperty("priority").GetString());
        Assert.Equal("n1", first.GetProperty("data").GetProperty("notificationId").GetString());

        // Near its expiry the token is fetched again.
        clock.Advance(TimeSpan.FromMinutes(56));
        await provider.SendAsync(new PushRequest("n3", "odin", "u1", "T", "B", "normal"), CancellationToken.None);
        Assert.Equal(2, _assertions.Count);
    }

    [Fact]
    public async Task An_fcm_server_error_asks_for_a_retry()
    {
        MessageStatus = 500;
        using var provider = Provider(TimeProvider.System);

        Assert.Equal(PushOutcome.Retry, await provider.SendAsync(new PushRequest("n1", "odin", "u1", "T", "B", "high"), CancellationToken.None));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _http.Dispose();
        _stop.Dispose();
    }
}
