using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GameSignals.Cli.Replay;

/// <summary>
/// The one place that composes replay: the real <see cref="EventPipeline"/> with in-memory ledger and
/// dead-letter store, plus every capability's stage, in-memory stores and <see cref="IReplayOutput"/>s.
/// Wiring a capability is one line in <see cref="AddCapabilities"/>.
/// </summary>
internal static class ReplayComposition
{
    /// <summary>How long the embedded ledger remembers an event by default, in event time (as the Cosmos ledger's TTL).</summary>
    public static readonly TimeSpan DefaultLedgerRetention = TimeSpan.FromDays(7);

    /// <param name="overrides">Last registrations, replacing earlier ones (tests swap the ledger).</param>
    public static ServiceProvider Build(ReplayConfiguration config, bool withStages, TimeSpan? ledgerRetention = null, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new PipelineMetrics());
        services.AddSingleton<IEventLedger>(_ => new InMemoryEventLedger(ledgerRetention ?? DefaultLedgerRetention));
        services.AddSingleton<InMemoryDeadLetterStore>();
        services.AddSingleton<IDeadLetterStore>(sp => sp.GetRequiredService<InMemoryDeadLetterStore>());
        services.AddSingleton<EventPipeline>();
        if (withStages)
        {
            AddCapabilities(services, config);
        }

        overrides?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// Each capability registers its stage (<see cref="IEventStage"/>), its in-memory stores and its
    /// <see cref="IReplayOutput"/>s, reading its configuration from <paramref name="config"/>; stages run
    /// in registration order. Add one line per capability, e.g. <c>services.AddNotifications();</c>.
    /// </summary>
#pragma warning disable IDE0060 // config is the capabilities' input once they are wired in.
    private static void AddCapabilities(IServiceCollection services, ReplayConfiguration config)
#pragma warning restore IDE0060
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
