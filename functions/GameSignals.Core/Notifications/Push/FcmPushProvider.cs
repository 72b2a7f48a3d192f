using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GameSignals.Notifications.Push;

public sealed class FcmPushOptions
{
    /// <summary>The Google service account key file's JSON (client_email, private_key, token_uri, project_id).</summary>
    public string ServiceAccountJson { get; set; } = "";

    /// <summary>The FCM endpoint; tests point it at a local server.</summary>
    public Uri Endpoint { get; set; } = new("https://fcm.googleapis.com/");

    /// <summary>
    /// The topic a player's devices subscribe to, from game and user ids: the contract has no device
    /// registry, so the app subscribes each device to its player's topic.
    /// </summary>
    public Func<PushRequest, string> Topic { get; set; } = r => $"{r.GameId}-{r.UserId}";
}

/// <summary>
/// Firebase Cloud Messaging HTTP v1. Authenticates with the service account's OAuth 2.0 JWT bearer
/// grant (RS256) and caches the access token until five minutes before it expires.
/// </summary>
public sealed class FcmPushProvider(HttpClient http, FcmPushOptions options, TimeProvider time) : IPushProvider, IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";

    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private readonly ServiceAccount _account = ServiceAccount.Parse(options.ServiceAccountJson);
    private string? _token;
    private DateTimeOffset _tokenRefreshAt;

    public async ValueTask<PushOutcome> SendAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Endpoint, $"v1/projects/{_account.ProjectId}/messages:send"))
            {
                Content = new ByteArrayContent(MessageBody(request)),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                _token = null;
                return PushOutcome.Retry;
            }

            return WebhookPushProvider.Classify(response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return PushOutcome.Retry;
        }
    }

    private byte[] MessageBody(PushRequest request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("message");
            json.WriteString("topic", options.Topic(request));
            json.WriteStartObject("notification");
            json.WriteString("title", request.Title);
            json.WriteString("body", request.Body);
            json.WriteEndObject();
            json.WriteStartObject("android");
            json.WriteString("priority", request.Priority == "high" ? "HIGH" : "NORMAL");
            json.WriteEndObject();
            json.WriteStartObject("data");
            json.WriteString("notificationId", request.NotificationId);
            json.WriteString("gameId", request.GameId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && time.GetUtcNow() < _tokenRefreshAt)
        {
            return cached;
        }

        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (_token is { } fresh && now < _tokenRefreshAt)
            {
                return fresh;
            }

            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = _account.CreateAssertion(Scope, now),
            });
            using var response = await http.PostAsync(_account.TokenUri, content, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var token = document.RootElement.GetProperty("access_token").GetString()!;
            var lifetime = document.RootElement.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 3600;
            _tokenRefreshAt = now.AddSeconds(lifetime) - TimeSpan.FromMinutes(5);
            _token = token;
            return token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    public void Dispose()
    {
        _tokenGate.Dispose();
        _account.Dispose();
    }

    private sealed class ServiceAccount(string clientEmail, RSA key, Uri tokenUri, string projectId) : IDisposable
    {
        public Uri TokenUri { get; } = tokenUri;

        public string ProjectId { get; } = projectId;

        public static ServiceAccount Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var key = RSA.Create();
            key.ImportFromPem(root.GetProperty("private_key").GetString());
            return new ServiceAccount(
                root.GetProperty("client_email").GetString()!, key,
                new Uri(root.TryGetProperty("token_uri", out var uri) ? uri.GetString()! : "https://oauth2.googleapis.com/token"),
                root.GetProperty("project_id").GetString()!);
        }

        /// <summary>The signed JWT of the OAuth 2.0 JWT bearer grant (RFC 7523), valid one hour.</summary>
        public string CreateAssertion(string scope, DateTimeOffset now)
        {
            var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
            using var claims = new MemoryStream();
            using (var json = new Utf8JsonWriter(claims))
            {
                json.WriteStartObject();
                json.WriteString("iss", clientEmail);
                json.WriteString("scope", scope);
                json.WriteString("aud", TokenUri.ToString());
                json.WriteNumber("iat", now.ToUnixTimeSeconds());
                json.WriteNumber("exp", now.AddHours(1).ToUnixTimeSeconds());
                json.WriteEndObject();
            }

            var signingInput = header + "." + Base64Url(claims.ToArray());
            var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return signingInput + "." + Base64Url(signature);
        }

        public void Dispose() => key.Dispose();

        private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
