using System.Net;
using System.Net.Sockets;
using System.Text;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;

namespace GameSignals.Cli.Tests;

/// <summary>
/// <c>push-listener</c> receives what the app's webhook provider sends: a delivery signed with the secret is printed
/// and answered 200, a bad signature 401, so the sample settings can deliver a push locally.
/// </summary>
public sealed class PushListenerTests
{
    private const string Secret = "test-secret";

    [Fact]
    public async Task A_push_signed_by_the_webhook_provider_is_printed_and_accepted_and_a_bad_signature_is_401()
    {
        var port = FreePort();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => GameSignalsCli.RunAsync(["push-listener", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--secret", Secret], new CliConsole(TextWriter.Synchronized(output), error, interactive: false), stop.Token));
        var url = new Uri($"http://127.0.0.1:{port}/push");
        using var http = new HttpClient();
        await WaitUntilListeningAsync(http, url, run);

        // The provider the app uses, with the same secret: what it sends must be accepted.
        var provider = new WebhookPushProvider(http, new WebhookPushOptions { Url = url, Secret = Secret });
        var push = new PushRequest("n-1", "odin", "u1", "HP low", "Kara has 3/100 HP", "high");
        Assert.Equal(PushOutcome.Delivered, await provider.SendAsync(push, CancellationToken.None));
        Assert.Equal(PushOutcome.Delivered, await provider.SendAsync(push, CancellationToken.None));

        // Signed with another secret, or not at all: refused.
        var wrong = new WebhookPushProvider(http, new WebhookPushOptions { Url = url, Secret = "another-secret" });
        Assert.Equal(PushOutcome.Rejected, await wrong.SendAsync(push with { NotificationId = "n-2" }, CancellationToken.None));
        using var unsigned = await http.PostAsync(url, new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("push n-1: game odin, user u1, high: HP low | Kara has 3/100 HP", lines);
        Assert.Contains(lines, l => l.StartsWith("push n-1 (repeat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("refused notification n-2", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_out_of_range_is_a_usage_error()
    {
        var (code, _, error) = await CliRun.RunAsync(["push-listener", "--port", "70000"]);

        Assert.Equal(2, code);
        Assert.Contains("--port", error, StringComparison.Ordinal);
    }

    private static async Task WaitUntilListeningAsync(HttpClient http, Uri url, Task<int> run)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            Assert.False(run.IsCompleted, "push-listener stopped before it listened");
            try
            {
                using var probe = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail("push-listener did not listen");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
