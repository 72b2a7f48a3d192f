using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;

namespace GameSignals.Cli.PushListener;

/// <summary>
/// <c>push-listener [--port 7390] [--secret S]</c>: a local webhook receiver for the function app's webhook push
/// provider (the sample settings point <c>Push:Webhook:Url</c> here). It checks each delivery's HMAC signature as
/// <see cref="WebhookPushProvider"/> makes it, prints the push, and answers 200; a bad or missing signature is
/// 401 and a body that is not a push request 400. It runs until Ctrl+C.
/// </summary>
internal static class PushListenerCommand
{
    public const int DefaultPort = 7390;

    /// <summary>The sample settings' <c>Push:Webhook:Secret</c>: a value for local runs only.</summary>
    public const string DefaultSecret = "local-dev-only-not-a-secret";

    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "loopback port to listen on", DefaultValueFactory = _ => DefaultPort };
        var secret = new Option<string>("--secret") { Description = "the webhook secret (Push:Webhook:Secret)", DefaultValueFactory = _ => DefaultSecret };
        var command = new Command("push-listener", "Receive the app's webhook pushes on 127.0.0.1, verify their signatures and print them.")
        {
            port, secret,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(port) is < 1 or > 65535)
            {
                result.AddError("--port must be from 1 to 65535");
            }

            if (string.IsNullOrEmpty(result.GetValue(secret)))
            {
                result.AddError("--secret may not be empty");
            }
        });
        command.SetAction((parse, ct) => RunAsync(console, parse.GetValue(port), parse.GetRequiredValue(secret), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, int port, string secret, CancellationToken cancellationToken)
    {
        // HttpListener (in the BCL) is enough for one local receiver; a web host would add nothing here.
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new CliUsageException($"cannot listen on 127.0.0.1:{port}: {ex.Message}");
        }

        await console.Out.WriteLineAsync($"listening on http://127.0.0.1:{port}/push; Ctrl+C to stop").ConfigureAwait(false);
        await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is HttpListenerException or ObjectDisposedException)
            {
                break;
            }

            var (status, line) = await ReceiveAsync(context.Request, secret, seen).ConfigureAwait(false);
            context.Response.StatusCode = status;
            context.Response.Close();
            await console.Out.WriteLineAsync(line).ConfigureAwait(false);

            // Not cancelled: the line of a push already answered is printed even when the listener is stopping.
            await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return GameSignalsCli.Success;
    }

    /// <summary>The answer to one delivery and the line that reports it.</summary>
    internal static async Task<(int Status, string Line)> ReceiveAsync(HttpListenerRequest request, string secret, HashSet<string> seen)
    {
        if (request.HttpMethod != "POST")
        {
            return (405, $"refused {request.HttpMethod} {request.Url?.AbsolutePath}: only POST is accepted");
        }

        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer).ConfigureAwait(false);
        var body = buffer.ToArray();
        var id = request.Headers[WebhookPushProvider.IdHeader] ?? "(no id)";
        var expected = Encoding.ASCII.GetBytes(WebhookPushProvider.Sign(body, secret));
        var given = Encoding.ASCII.GetBytes(request.Headers[WebhookPushProvider.SignatureHeader] ?? "");
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return (401, $"refused notification {id}: the {WebhookPushProvider.SignatureHeader} header does not match the body signed with the secret");
        }

        PushRequest? push;
        try
        {
            push = JsonSerializer.Deserialize(body, NotificationsJsonContext.Default.PushRequest);
        }
        catch (JsonException ex)
        {
            return (400, $"refused notification {id}: the body is not a push request: {ex.Message}");
        }

        if (push is null)
        {
            return (400, $"refused notification {id}: the body is not a push request");
        }

        // The app delivers at least once; a receiver drops repeats by the notification id.
        var repeat = seen.Add(push.NotificationId) ? "" : " (repeat, already received)";
        return (200, $"push {push.NotificationId}{repeat}: game {push.GameId}, user {push.UserId}, {push.Priority}: {push.Title} | {push.Body}");
    }

}
