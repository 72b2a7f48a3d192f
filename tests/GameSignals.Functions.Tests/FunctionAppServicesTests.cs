using GameSignals.Azure.Pipeline;
using GameSignals.Functions.Health;
using GameSignals.Functions.Intake;
using GameSignals.Functions.Tests.Notifications;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using GameSignals.Pipeline;
using Microsoft.Extensions.Configuration;
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
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<CosmosEventLedger>(provider.GetRequiredService<IEventLedger>());
        Assert.IsType<BlobDeadLetterStore>(provider.GetRequiredService<IDeadLetterStore>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<EventHubFunctions>(provider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<HealthFunction>(provider));
        var checks = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
        Assert.Equal(["blobs", "cosmos", "queues"], checks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_metrics_of_every_poison_path_are_exported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(NotificationsApp.SampleSettings()).Build();
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
