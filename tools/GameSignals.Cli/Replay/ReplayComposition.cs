using GameSignals.Cli.Replay.Outputs;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Profiles;
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
    private static void AddCapabilities(IServiceCollection services, ReplayConfiguration config)
    {
        AddNotifications(services, config);
        services.AddSingleton<IIpIntelligence>(LoadIpRanges(config));
        AddFraud(services, config);
        services.AddSingleton<InMemoryProfileStore>();
        services.AddSingleton<IProfileStore>(sp => sp.GetRequiredService<InMemoryProfileStore>());
        services.AddProfiles();
        services.AddSingleton<IReplayOutput, ProfilesOutput>();
    }

    private static void AddNotifications(IServiceCollection services, ReplayConfiguration config)
    {
        var rules = RulesFile.Load(config.RulesPath);
        if (!rules.IsValid)
        {
            var more = rules.Problems.Count > 1 ? $" (and {rules.Problems.Count - 1} more)" : "";
            throw new CliUsageException($"{config.RulesPath}: invalid rule: {rules.Problems[0]}{more}");
        }

        var store = new InMemoryRuleStore();
        foreach (var rule in rules.Rules)
        {
            store.UpsertAsync(rule, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        services.AddSingleton<IRuleStore>(store);
        services.AddSingleton<InMemoryNotificationStore>();
        services.AddSingleton<INotificationStore>(sp => sp.GetRequiredService<InMemoryNotificationStore>());
        services.AddNotifications();
        services.AddSingleton<IReplayOutput, NotificationsOutput>();
    }

    /// <summary>The range table from <c>ipranges/</c>; a source that cannot be parsed at all is a bad config.</summary>
    private static RangeTable LoadIpRanges(ReplayConfiguration config)
    {
        var (table, report) = RangeTableLoader.FromDirectory(config.IpRangesDirectory);
        if (report.FailedSources.Count > 0)
        {
            throw new CliUsageException($"{config.IpRangesDirectory}: cannot parse {string.Join(", ", report.FailedSources)}");
        }

        if (report.Issues.Count > 0)
        {
            var first = report.Issues[0];
            Console.Error.WriteLine($"warning: {report.Issues.Count} bad rows skipped in {config.IpRangesDirectory}, first: {first.Source} line {first.Line}: {first.Message}");
        }

        return table;
    }

    private static void AddFraud(IServiceCollection services, ReplayConfiguration config)
    {
        var bytes = File.ReadAllBytes(config.FraudPath);
        FraudConfigDocument document;
        try
        {
            FraudConfigLoader.Load(bytes);
            document = FraudConfigLoader.Parse(bytes);
        }
        catch (FraudConfigException ex)
        {
            var more = ex.Problems.Count > 1 ? $" (and {ex.Problems.Count - 1} more)" : "";
            throw new CliUsageException($"{config.FraudPath}: invalid config: {ex.Problems[0]}{more}", ex);
        }

        var store = new InMemoryFraudConfigStore();
        store.SaveAllAsync(document, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        services.AddSingleton<IFraudConfigStore>(store);
        services.AddSingleton<InMemoryFlagStore>();
        services.AddSingleton<IFlagStore>(sp => sp.GetRequiredService<InMemoryFlagStore>());
        services.AddFraud();
        services.AddSingleton<IReplayOutput, FlagsOutput>();
    }
}
