using GameSignals.Azure.Pipeline;
using GameSignals.Functions.Health;
using GameSignals.Functions.Intake;
using GameSignals.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameSignals.Functions.Tests;

/// <summary>The app's composition with the settings of local.settings.sample.json: every function can be built.</summary>
public sealed class FunctionAppServicesTests
{
    [Fact]
    public void The_functions_are_composed_over_the_Azure_stores_from_the_sample_local_settings()
    {
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FunctionApp.RepositoryRoot, "local.settings.sample.json")));
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
}
