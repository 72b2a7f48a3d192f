using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace GameSignals.Notifications.Push;

/// <summary>What became of one push delivery attempt.</summary>
public enum PushOutcome
{
    Delivered,

    /// <summary>A transient failure (network, 429, 5xx): the queue should retry the request.</summary>
    Retry,

    /// <summary>The receiver refused the request (4xx): retrying will not help.</summary>
    Rejected,

    /// <summary>Push is turned off (<c>Push:Provider</c> <c>off</c>): the notification stays in the inbox only.</summary>
    Off,
}

/// <summary>Delivers a push request to a provider; the queue-triggered sender calls it.</summary>
public interface IPushProvider
{
    ValueTask<PushOutcome> SendAsync(PushRequest request, CancellationToken cancellationToken);
}

public sealed class WebhookPushOptions
{
    public Uri? Url { get; set; }

    /// <summary>The shared secret the receiver verifies the signature with.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>
/// Posts the push request as JSON to the game's webhook, signed with HMAC-SHA256 over the exact body
/// bytes in <see cref="SignatureHeader"/> (<c>sha256=&lt;hex&gt;</c>), with the notification id in
/// <see cref="IdHeader"/> so the receiver can drop a retried delivery.
/// </summary>
public sealed class WebhookPushProvider(HttpClient http, WebhookPushOptions options) : IPushProvider
{
    public const string SignatureHeader = "X-GameSignals-Signature";
    public const string IdHeader = "X-GameSignals-Notification-Id";

    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));
    }

    public async ValueTask<PushOutcome> SendAsync(PushRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var url = options.Url ?? throw new InvalidOperationException("WebhookPushOptions.Url is not configured.");
        var body = JsonSerializer.SerializeToUtf8Bytes(request, NotificationsJsonContext.Default.PushRequest);
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add(SignatureHeader, Sign(body, options.Secret));
        message.Headers.Add(IdHeader, request.NotificationId);
        try
        {
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return Classify(response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return PushOutcome.Retry;
        }
    }

    internal static PushOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => PushOutcome.Delivered,
        429 or 408 or >= 500 => PushOutcome.Retry,
        _ => PushOutcome.Rejected,
    };
}
