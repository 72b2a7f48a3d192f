using Azure.Core;
using Azure.Identity;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Pipeline;
using GameSignals.Azure.Startup;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure;

public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Azure clients (Blob and Queue storage through Microsoft.Extensions.Azure, Cosmos DB),
    /// one <see cref="DefaultAzureCredential"/> for all of them, and the Azure implementations of the
    /// pipeline's stores (<see cref="BlobPartitionStateStore"/>, <see cref="BlobDeadLetterStore"/>), replacing
    /// any in-memory ones.
    /// </summary>
    /// <remarks>
    /// Configuration: <c>Storage</c> is a connection string (locally <c>UseDevelopmentStorage=true</c>), or a
    /// section with <c>blobServiceUri</c> and <c>queueServiceUri</c> for identity-based access;
    /// <c>Cosmos</c> binds <see cref="CosmosOptions"/>.
    /// </remarks>
    public static IServiceCollection AddGameSignalsAzure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        TokenCredential credential = new DefaultAzureCredential();
        var storage = configuration.GetSection("Storage");
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(credential);
            if (!string.IsNullOrEmpty(storage.Value))
            {
                clients.AddBlobServiceClient(storage.Value);
                clients.AddQueueServiceClient(storage.Value);
            }
            else
            {
                clients.AddBlobServiceClient(RequiredUri(storage, "blobServiceUri"));
                clients.AddQueueServiceClient(RequiredUri(storage, "queueServiceUri"));
            }

            // Transient failures are retried here, with exponential backoff, bounded so that an
            // invocation ends (and the host's retry policy takes over) within seconds.
            clients.ConfigureDefaults(options =>
            {
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = 4;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
            });
        });

        services.AddOptions<CosmosOptions>().Bind(configuration.GetSection(CosmosOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => CosmosSetup.CreateClient(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, credential));
        services.AddStartupResource("Cosmos database and containers", (sp, cancellationToken) =>
        {
            var cosmos = sp.GetRequiredService<IOptions<CosmosOptions>>().Value;
            return cosmos.CreateResources
                ? CosmosSetup.EnsureResourcesAsync(sp.GetRequiredService<CosmosClient>(), cosmos.Database, sp.GetServices<CosmosContainerSpec>(), cancellationToken)
                : Task.CompletedTask;
        });

        services.Replace(ServiceDescriptor.Singleton<IPartitionStateStore, BlobPartitionStateStore>());
        services.Replace(ServiceDescriptor.Singleton<IDeadLetterStore, BlobDeadLetterStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransientFailureClassifier, AzureTransientFailures>());
        return services;
    }

    /// <summary>Declares a Cosmos container the app needs; created in the background at start-up when <see cref="CosmosOptions.CreateResources"/> is on.</summary>
    public static IServiceCollection AddCosmosContainer(this IServiceCollection services, Func<IServiceProvider, CosmosContainerSpec> spec)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(spec);
        services.AddSingleton<CosmosContainerSpec>(spec);
        return services;
    }

    private static Uri RequiredUri(IConfiguration section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Configure Storage as a connection string, or Storage:{key} as an absolute URI.");
}
