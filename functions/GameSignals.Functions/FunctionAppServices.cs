using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using GameSignals.Admin;
using GameSignals.Admin.Access;
using GameSignals.Azure;
using GameSignals.Azure.Events;
using GameSignals.Functions.Fraud;
using GameSignals.Functions.Health;
using GameSignals.Functions.Http;
using GameSignals.Functions.Intake;
using GameSignals.Functions.IpRanges;
using GameSignals.Functions.Notifications;
using GameSignals.Functions.Profiles;
using GameSignals.Functions.Stats;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions;

public static class FunctionAppServices
{
    internal const string MetricExporterName = "gamesignals";

    /// <summary>Everything the function app's functions need; Program.cs calls this and nothing else.</summary>
    public static IServiceCollection AddGameSignalsFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Core: the pipeline the Event Hubs functions drive and its stages, composed as replay composes them.
        services.AddEventPipeline();
        services.AddEventStages();
        services.AddOptions<PartitionStateOptions>().Bind(configuration.GetSection(PartitionStateOptions.SectionName));
        services.AddHostedService<PartitionStateFlush>();

        // Azure: clients (managed identity in Azure, emulators locally) and the stores behind the pipeline.
        services.AddGameSignalsAzure(configuration);
        services.AddDependencyHealthChecks(configuration);
        services.AddRecentEventsAzure(configuration, EventHubFunctions.GameHub, EventHubFunctions.PaymentHub);

        // The capabilities' function app parts: settings, Azure stores, admin functions.
        services.AddNotificationsFunctions(configuration);
        services.AddIpRangesFunctions(configuration);
        services.AddFraudFunctions(configuration);
        services.AddProfilesFunctions(configuration);
        services.AddStatsFunctions(configuration);

        // The admin API's handlers, which the HTTP functions adapt, and the signed-in console's access checks.
        services.AddAdminHandlers();
        services.AddOptions<AdminAccessOptions>().Bind(configuration.GetSection(AdminAccessOptions.SectionName));
        services.AddSingleton<AdminAccess>();

        // Metrics through OpenTelemetry, exported to Azure Monitor when the app has a connection string.
        // Logs go to the Functions host, which applies host.json's levels and sampling to them.
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(PipelineMetrics.MeterName);
            if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
            {
                var credential = TelemetryCredential(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
                // Named, so the exporter reads its options from the container, where a test can see them too.
                services.Configure<AzureMonitorExporterOptions>(MetricExporterName, options => options.Credential = credential);
                metrics.AddAzureMonitorMetricExporter(name: MetricExporterName);
            }
        });
        return services;
    }

    /// <summary>The worker middleware of the app: a dependency that is down answers an HTTP caller 503, promptly.</summary>
    public static IFunctionsWorkerApplicationBuilder UseGameSignalsMiddleware(this IFunctionsWorkerApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseMiddleware<DependencyUnavailableMiddleware>();
    }

    /// <summary>
    /// The credential the metric exporter signs in with, read from the setting the Functions host uses for its
    /// own telemetry (<c>Authorization=AAD</c>, with <c>ClientId=</c> for a user-assigned identity). In Azure the
    /// component has local auth off, so without it every metric is refused; locally (no setting) none is needed.
    /// </summary>
    internal static TokenCredential? TelemetryCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be 'Authorization=AAD' or 'ClientId=<guid>;Authorization=AAD'.");
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
