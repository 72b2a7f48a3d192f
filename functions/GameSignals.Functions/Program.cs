using Azure.Monitor.OpenTelemetry.Exporter;
using GameSignals.Azure;
using GameSignals.Functions.Health;
using GameSignals.Pipeline;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Core: the pipeline the Event Hubs functions drive. Capabilities add their stages (IEventStage) here.
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PipelineMetrics>();
builder.Services.AddSingleton<EventPipeline>();

// Azure: clients (managed identity in Azure, emulators locally) and the stores behind the pipeline.
builder.Services.AddGameSignalsAzure(builder.Configuration);
builder.Services.AddDependencyHealthChecks();

// Metrics through OpenTelemetry, exported to Azure Monitor when the app has a connection string.
// Logs go to the Functions host, which applies host.json's levels and sampling to them.
builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
{
    metrics.AddMeter(PipelineMetrics.MeterName);
    if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
    {
        metrics.AddAzureMonitorMetricExporter();
    }
});

builder.Build().Run();
