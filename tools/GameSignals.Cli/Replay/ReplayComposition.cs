using GameSignals.Cli.Replay.Faults;
using GameSignals.Cli.Replay.Outputs;
using GameSignals.Events;
using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GameSignals.Cli.Replay;

/// <summary>
/// The one place that composes replay: one host instance is the real <see cref="EventPipeline"/>, every
/// capability's stage and <see cref="IReplayOutput"/>s, over the <see cref="ReplayStores"/> that outlive it.
/// Wiring a capability is one line in <see cref="AddCapabilities"/> (and its stores in <see cref="ReplayStores"/>).
/// </summary>
internal static class ReplayComposition
{
    /// <summary>How long a partition's state remembers an event's key by default, in event time.</summary>
    public static readonly TimeSpan DefaultDuplicateWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a partial batch waits for more events: the Event Hubs trigger does not wait to fill a batch (no
    /// <c>minEventBatchSize</c>), it takes what has arrived, so a replay's wait is short too; 100 ms put a slow
    /// partition's events (payments) in the p99.97 latency on their own.
    /// </summary>
    public const int DefaultMaxWaitMilliseconds = 20;

    /// <summary>A new host instance over <paramref name="stores"/>.</summary>
    /// <param name="faults">Puts every store call behind the injector; the retry's waits are scaled down to replay's milliseconds.</param>
    /// <param name="overrides">Last registrations, replacing earlier ones (tests swap a store).</param>
    public static ServiceProvider Build(ReplayStores stores, bool withStages, FaultInjector? faults = null, Action<IServiceCollection>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        // Meters scoped to the instance, so a replay counts its own (StatsCounts) beside others in one process.
        services.AddMetrics();
        stores.Register(services, faults);
        services.AddEventPipeline();
        if (faults is not null)
        {
            // The production attempt count, with waits in milliseconds: replay has no real service to spare.
            services.Configure<StoreRetryOptions>(retry => (retry.BaseDelay, retry.MaxDelay) = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)));
        }

        if (withStages)
        {
            AddCapabilities(services);
        }

        if (stores.RecentEvents is not null)
        {
            // After the capabilities' stages: it records what they processed, for the console's dry runs.
            services.AddSingleton<IEventStage, RecentEventsStage>();
        }

        overrides?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>
    /// The stages, as the function app runs them (<see cref="PipelineServiceCollectionExtensions.AddEventStages"/>), and each
    /// capability's <see cref="IReplayOutput"/>s; the stores are already registered from <see cref="ReplayStores"/>.
    /// </summary>
    private static void AddCapabilities(IServiceCollection services)
    {
        services.AddEventStages();
        services.AddSingleton<IReplayOutput, NotificationsOutput>();
        services.AddSingleton<IReplayOutput, ShadowNotificationsOutput>();
        services.AddSingleton<IReplayOutput, FlagsOutput>();
        services.AddSingleton<IReplayOutput, ProfilesOutput>();
        services.AddSingleton<IReplayOutput, ExperimentArmsOutput>();
        services.AddSingleton<IReplayOutput, WouldHaveReceivedOutput>();
        services.AddSingleton<IReplayOutput, ExperimentResultsOutput>();
    }
}
