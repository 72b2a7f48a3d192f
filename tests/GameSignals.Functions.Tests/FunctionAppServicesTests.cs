using System.Reflection;
using Azure.Storage.Blobs;
using GameSignals.Azure.Pipeline;
using GameSignals.Functions.Health;
using GameSignals.Functions.Intake;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace GameSignals.Functions.Tests;

/// <summary>The app's composition with the settings of local.settings.sample.json: every function can be built.</summary>
public sealed class FunctionAppServicesTests
{
    [Fact]
    public void The_functions_are_composed_over_the_Azure_stores_from_the_sample_local_settings()
    {
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration());

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        // Without PartitionStateStorage the state shares the Storage account (Azurite locally).
        var state = Assert.IsType<BlobPartitionStateStore>(provider.GetRequiredService<IPartitionStateStore>());
        Assert.Equal(provider.GetRequiredService<BlobServiceClient>().Uri, state.Service.Uri);
        Assert.IsType<BlobDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
        Assert.Equal(["blobs", "cosmos", "queues"], HealthChecks(provider));
    }

    [Fact]
    public void Partition_state_is_kept_in_the_account_PartitionStateStorage_names_and_the_health_page_checks_that_account()
    {
        var configuration = SampleSettings.Configuration([new("PartitionStateStorage:blobServiceUri", "https://stgsstate.blob.core.windows.net/")]);
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var state = Assert.IsType<BlobPartitionStateStore>(provider.GetRequiredService<IPartitionStateStore>());
        Assert.Equal(new Uri("https://stgsstate.blob.core.windows.net/"), state.Service.Uri);
        // Everything else stays on the Storage account.
        Assert.NotEqual(state.Service.Uri, provider.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(["blobs", "cosmos", "partition-state", "queues"], HealthChecks(provider));
    }

    [Fact]
    public void Every_class_with_a_function_is_built_from_the_composition_of_the_sample_settings()
    {
        // Found by reflection, so a function added later is covered without editing this test. The worker builds the
        // class of an instance method from the app's services on every call; a static method needs no instance.
        var classes = typeof(FunctionAppServices).Assembly.GetTypes()
            .Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Any(method => method.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Contains(typeof(EventHubFunctions), classes);
        Assert.Contains(typeof(HealthFunction), classes);
        Assert.All(classes, type => Assert.IsType(type, ActivatorUtilities.CreateInstance(provider, type)));
    }

    [Fact]
    public void The_metrics_of_every_poison_path_are_exported()
    {
        var configuration = SampleSettings.Configuration();
        var exported = new CollectingExporter();
        using var reader = new BaseExportingMetricReader(exported);
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(reader));
        using var provider = services.BuildServiceProvider();
        var meterProvider = provider.GetRequiredService<MeterProvider>();

        provider.GetRequiredService<PipelineMetrics>().DeadLetters.Add(1);
        provider.GetRequiredService<NotificationMetrics>().PushPoisoned.Add(1);
        provider.GetRequiredService<IpRangesMetrics>().Refused.Add(1);
        provider.GetRequiredService<IpRangesMetrics>().Refreshes.Add(1);
        Assert.True(meterProvider.ForceFlush());

        Assert.Subset(exported.Names, new HashSet<string>(StringComparer.Ordinal)
        {
            "gamesignals.deadletters", "gamesignals.notifications.push.poisoned", "gamesignals.ipranges.refused", "gamesignals.ipranges.refreshes",
        });
    }

    private static List<string> HealthChecks(IServiceProvider provider) =>
        [.. provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).Order(StringComparer.Ordinal)];

    /// <summary>Stands in for the Azure Monitor exporter: keeps the names of the metrics it is handed.</summary>
    private sealed class CollectingExporter : BaseExporter<Metric>
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                Names.Add(metric.Name);
            }

            return ExportResult.Success;
        }
    }
}
