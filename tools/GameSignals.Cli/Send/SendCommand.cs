using System.CommandLine;
using System.Globalization;
using System.Threading.RateLimiting;
using Azure.Identity;
using Azure.Messaging.EventHubs.Producer;

namespace GameSignals.Cli.Send;

/// <summary>
/// <c>send --events FILE (--connection-string CS | --namespace NS.servicebus.windows.net) [--hub NAME] [--rate N]</c>:
/// a real Event Hubs producer, for the emulator (connection string with <c>UseDevelopmentEmulator=true</c>)
/// or a namespace reached with <see cref="DefaultAzureCredential"/>.
/// </summary>
internal static class SendCommand
{
    /// <summary>Builds the command; tests pass <paramref name="producerFor"/> to replace the real clients.</summary>
    public static Command Create(CliConsole console, Func<string, EventHubProducerClient>? producerFor)
    {
        var events = new Option<string>("--events") { Description = "JSON Lines file of CloudEvents, plain or .gz", Required = true };
        var connectionString = new Option<string>("--connection-string") { Description = "Event Hubs connection string (emulator or SAS)" };
        var ns = new Option<string>("--namespace") { Description = "fully qualified namespace, e.g. NS.servicebus.windows.net (Entra ID via DefaultAzureCredential)" };
        var hub = new Option<string>("--hub") { Description = "send every event to this hub; default: payment-events for payment.* types, game-events otherwise" };
        var rate = new Option<double?>("--rate") { Description = "at most this many events per second" };

        var command = new Command("send", "Publish an event file to Event Hubs, partitioned by userid.")
        {
            events, connectionString, ns, hub, rate,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(connectionString) is null) == (result.GetValue(ns) is null))
            {
                result.AddError("give exactly one of --connection-string and --namespace");
            }

            if (result.GetValue(rate) is <= 0)
            {
                result.AddError("--rate must be positive");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(events);
            var cs = parse.GetValue(connectionString);
            var fqns = parse.GetValue(ns);
            var credential = fqns is null ? null : new DefaultAzureCredential();
            var factory = producerFor ?? (name => cs is not null
                ? new EventHubProducerClient(cs, name)
                : new EventHubProducerClient(fqns, name, credential));
            using var limiter = parse.GetValue(rate) is { } perSecond ? CreateLimiter(perSecond) : null;
            var sender = new EventSender(factory, limiter);
            var total = CountLines(path);
            var result = await console.RunWithProgressAsync("send", total, "events", report => sender.SendAsync(path, parse.GetValue(hub), report, ct)).ConfigureAwait(false);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sent {result.Sent:N0} events in {result.Batches:N0} batches, {result.Failed:N0} failed")).ConfigureAwait(false);
            return result.Failed == 0 ? GameSignalsCli.Success : GameSignalsCli.Failed;
        });
        return command;
    }

    /// <summary>A token bucket refilled every 100 ms, so the rate holds smoothly rather than in one-second bursts.</summary>
    private static TokenBucketRateLimiter CreateLimiter(double perSecond)
    {
        var perTick = Math.Max(1, (int)Math.Round(perSecond / 10));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perTick,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perTick / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static long CountLines(string path)
    {
        using var reader = new Replay.JsonLinesReader(path);
        while (reader.ReadLine() is not null)
        {
        }

        return reader.LineNumber;
    }
}
