using GameSignals.Cli.Replay.Faults;
using GameSignals.Events;
using GameSignals.Experiments;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using GameSignals.Profiles;
using GameSignals.Stats;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Cli.Replay;

/// <summary>
/// The state that outlives a host instance, as Cosmos DB, Blob storage, the queues and the range snapshot do in
/// Azure, loaded from the replay config. Every host instance <see cref="ReplayComposition.Build"/> makes works on
/// these same objects, so an instance that dies mid-batch leaves its writes for the next one, as in Azure.
/// A capability's new store belongs here too, or it would be forgotten with the instance.
/// </summary>
internal sealed class ReplayStores
{
    private ReplayStores(TimeSpan duplicateWindow, IIpIntelligence? ipRanges)
    {
        DuplicateWindow = duplicateWindow;
        Sightings = new InMemoryDeviceSightingStore(new FraudOptions().SightingRetention);
        IpRanges = ipRanges;
    }

    /// <summary>How long a partition's state remembers an event key, in event time (<c>--duplicate-window</c>).</summary>
    public TimeSpan DuplicateWindow { get; }

    public InMemoryPartitionStateStore PartitionState { get; } = new();
    public InMemoryDeadLetterStore DeadLetters { get; } = new();
    public InMemoryRuleStore Rules { get; } = new();
    public InMemoryNotificationStore Notifications { get; } = new();
    public InMemoryShadowNotificationStore Shadows { get; } = new();
    public InMemoryPushQueue Push { get; } = new();
    public InMemoryPlayerLocaleStore Locales { get; } = new();
    public InMemoryFraudConfigStore FraudConfigs { get; } = new();
    public InMemoryFlagStore Flags { get; } = new();
    public InMemoryFraudActionPublisher FraudActions { get; } = new();
    public InMemoryDeviceSightingStore Sightings { get; }
    public InMemoryReceiptUseStore ReceiptUses { get; } = new();
    public InMemoryProfileStore Profiles { get; } = new();
    public InMemoryPopulationStatisticsStore Statistics { get; } = new();
    public ExactPlayerIndex Index { get; } = new();
    public InMemoryStatsSettingsStore StatsSettings { get; } = new();
    public InMemoryWouldHaveReceivedStore WouldHaveReceived { get; } = new();
    public InMemoryExperimentResultsStore ExperimentResults { get; } = new();

    /// <summary>Each player's last events, kept only for the local console (null otherwise: replay needs none).</summary>
    public InMemoryRecentEvents? RecentEvents { get; init; }

    /// <summary>The range table from <c>ipranges/</c>; null without stages.</summary>
    public IIpIntelligence? IpRanges { get; }

    /// <summary>
    /// Empty stores, with the rules, fraud settings and IP ranges of <paramref name="config"/> loaded when
    /// <paramref name="withStages"/>. A bad config is a <see cref="CliUsageException"/> naming the file.
    /// </summary>
    public static ReplayStores Load(ReplayConfiguration config, bool withStages, TimeSpan duplicateWindow, InMemoryRecentEvents? recentEvents = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!withStages)
        {
            return new ReplayStores(duplicateWindow, null) { RecentEvents = recentEvents };
        }

        var stores = new ReplayStores(duplicateWindow, LoadIpRanges(config)) { RecentEvents = recentEvents };
        stores.LoadRules(config);
        stores.LoadFraudConfig(config);
        stores.LoadStatsSettings(config);
        return stores;
    }

    /// <summary>
    /// Registers every store for one host instance, each behind a <see cref="FaultInjector"/> decorator when
    /// <paramref name="faults"/> is given. The concrete stores stay registered undecorated for the outputs.
    /// </summary>
    public void Register(IServiceCollection services, FaultInjector? faults)
    {
        ArgumentNullException.ThrowIfNull(services);
        T Faulty<T>(T store, Func<T, FaultInjector, T> decorate) => faults is null ? store : decorate(store, faults);

        services.AddSingleton(Faulty<IPartitionStateStore>(PartitionState, (s, f) => new FaultyPartitionStateStore(s, f)));
        services.Configure<PartitionStateOptions>(options => options.DuplicateWindow = DuplicateWindow);
        services.AddSingleton(Faulty<IDeadLetterStore>(DeadLetters, (s, f) => new FaultyDeadLetterStore(s, f)));
        services.AddSingleton(Faulty<IRuleStore>(Rules, (s, f) => new FaultyRuleStore(s, f)));
        services.AddSingleton(Faulty<INotificationStore>(Notifications, (s, f) => new FaultyNotificationStore(s, f)));
        services.AddSingleton(Faulty<IShadowNotificationStore>(Shadows, (s, f) => new FaultyShadowNotificationStore(s, f)));
        services.AddSingleton(Faulty<IPushQueue>(Push, (s, f) => new FaultyPushQueue(s, f)));
        services.AddSingleton(Faulty<IPlayerLocaleStore>(Locales, (s, f) => new FaultyPlayerLocaleStore(s, f)));
        services.AddSingleton(Faulty<IFraudConfigStore>(FraudConfigs, (s, f) => new FaultyFraudConfigStore(s, f)));
        services.AddSingleton(Faulty<IFlagStore>(Flags, (s, f) => new FaultyFlagStore(s, f)));
        services.AddSingleton(Faulty<IFraudActionPublisher>(FraudActions, (s, f) => new FaultyFraudActionPublisher(s, f)));
        services.AddSingleton(Faulty<IDeviceSightingStore>(Sightings, (s, f) => new FaultyDeviceSightingStore(s, f)));
        services.AddSingleton(Faulty<IReceiptUseStore>(ReceiptUses, (s, f) => new FaultyReceiptUseStore(s, f)));
        services.AddSingleton(Faulty<IProfileStore>(Profiles, (s, f) => new FaultyProfileStore(s, f)));
        services.AddSingleton(Faulty<IPopulationStatisticsStore>(Statistics, (s, f) => new FaultyPopulationStatisticsStore(s, f)));
        services.AddSingleton(Faulty<IPlayerIndex>(Index, (s, f) => new FaultyPlayerIndex(s, f)));
        services.AddSingleton(Faulty<IStatsSettingsStore>(StatsSettings, (s, f) => new FaultyStatsSettingsStore(s, f)));
        services.AddSingleton(Faulty<IWouldHaveReceivedStore>(WouldHaveReceived, (s, f) => new FaultyWouldHaveReceivedStore(s, f)));
        services.AddSingleton(Faulty<IExperimentResultsStore>(ExperimentResults, (s, f) => new FaultyExperimentResultsStore(s, f)));
        if (IpRanges is not null)
        {
            services.AddSingleton(IpRanges);
        }

        if (RecentEvents is not null)
        {
            services.AddSingleton<IRecentEvents>(RecentEvents);
            services.AddSingleton(RecentEvents);
        }

        services.AddSingleton(Notifications);
        services.AddSingleton(Shadows);
        services.AddSingleton(Flags);
        services.AddSingleton(Profiles);
        services.AddSingleton(StatsSettings);
        services.AddSingleton(WouldHaveReceived);
        services.AddSingleton(ExperimentResults);
    }

    private void LoadRules(ReplayConfiguration config)
    {
        var rules = RulesFile.Load(config.RulesPath);
        if (!rules.IsValid)
        {
            var more = rules.Problems.Count > 1 ? $" (and {rules.Problems.Count - 1} more)" : "";
            throw new CliUsageException($"{config.RulesPath}: invalid rule: {rules.Problems[0]}{more}");
        }

        foreach (var rule in rules.Rules)
        {
            Rules.UpsertAsync(rule, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private void LoadFraudConfig(ReplayConfiguration config)
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

        FraudConfigs.SaveAllAsync(document, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Stats settings per game from <c>stats.json</c>, when the config has one.</summary>
    private void LoadStatsSettings(ReplayConfiguration config)
    {
        if (!File.Exists(config.StatsPath))
        {
            return;
        }

        try
        {
            var document = StatsSettingsLoader.Parse(File.ReadAllBytes(config.StatsPath));
            StatsSettingsLoader.Load(document);
            foreach (var (gameId, settings) in document.Games)
            {
                StatsSettings.SaveAsync(gameId, settings, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (StatsSettingsException ex)
        {
            var more = ex.Problems.Count > 1 ? $" (and {ex.Problems.Count - 1} more)" : "";
            throw new CliUsageException($"{config.StatsPath}: invalid config: {ex.Problems[0]}{more}", ex);
        }
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
}
