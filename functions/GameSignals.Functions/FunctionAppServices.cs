using Azure.Monitor.OpenTelemetry.Exporter;
using GameSignals.Azure;
using GameSignals.Functions.Fraud;
using GameSignals.Functions.Health;
using GameSignals.Functions.IpRanges;
using GameSignals.Functions.Profiles;
using GameSignals.Functions.Notifications;
using GameSignals.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace GameSignals.Functions;

public static class FunctionAppServices
{
    /// <summary>Everything the function app's functions need; Program.cs calls this and nothing else.</summary>
    public static IServiceCollection AddGameSignalsFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Core: the pipeline the Event Hubs functions drive. Capabilities add their stages (IEventStage) here.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<EventPipeline>();
        services.AddStoreRetry();

        // Azure: clients (managed identity in Azure, emulators locally) and the stores behind the pipeline.
        services.AddGameSignalsAzure(configuration);
        services.AddDependencyHealthChecks();

        // The capabilities; their stages run in this order over each batch.
        services.AddNotificationsFunctions(configuration);
        services.AddIpRangesFunctions(configuration);
        services.AddFraudFunctions(configuration);
        services.AddProfilesFunctions(configuration);

        // Metrics through OpenTelemetry, exported to Azure Monitor when the app has a connection string.
        // Logs go to the Functions host, which applies host.json's levels and sampling to them.
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(PipelineMetrics.MeterName);
            if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
            {
                metrics.AddAzureMonitorMetricExporter();
            }
        });
        return services;
    }
}
