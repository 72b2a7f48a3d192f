using Azure.Core;
using Azure.Identity;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Pipeline;
using GameSignals.Azure.Startup;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Azure.Cosmos;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure;

public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Configuration section of the account that keeps the partitions' state, in the forms of <c>Storage</c>: a connection
    /// string, or a section with <c>blobServiceUri</c>. In Azure a Premium block blob account, whose appends cost a
    /// fraction of a Standard account's and answer sooner on the batch's hot path (docs/design.md, "Partition state on a
    /// Premium block blob account"); absent, the state shares the <c>Storage</c> account, as it does locally.
    /// </summary>
    public const string PartitionStateStorageSection = "PartitionStateStorage";

    /// <summary>Name of the Blob service client of <see cref="PartitionStateStorageSection"/>, when it is configured.</summary>
    public const string PartitionStateClientName = "PartitionState";

    /// <summary>
    /// Registers the Azure clients (Blob and Queue storage through Microsoft.Extensions.Azure, Cosmos DB),
    /// one <see cref="DefaultAzureCredential"/> for all of them, and the Azure implementations of the
    /// pipeline's stores (<see cref="BlobPartitionStateStore"/>, <see cref="BlobDeadLetterStore"/>), replacing
    /// any in-memory ones.
    /// </summary>
    /// <remarks>
    /// Configuration: <c>Storage</c> is a connection string (locally <c>UseDevelopmentStorage=true</c>), or a
    /// section with <c>blobServiceUri</c> and <c>queueServiceUri</c> for identity-based access;
    /// <see cref="PartitionStateStorageSection"/>, optional, puts the partitions' state in another account;
    /// <c>Cosmos</c> binds <see cref="CosmosOptions"/>.
    /// </remarks>
    public static IServiceCollection AddGameSignalsAzure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        TokenCredential credential = new DefaultAzureCredential();
        var storage = configuration.GetSection("Storage");
        var stateStorage = configuration.GetSection(PartitionStateStorageSection);
        var separateStateAccount = HasPartitionStateAccount(configuration);
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

            if (separateStateAccount)
            {
                (string.IsNullOrEmpty(stateStorage.Value)
                    ? clients.AddBlobServiceClient(RequiredUri(stateStorage, "blobServiceUri"))
                    : clients.AddBlobServiceClient(stateStorage.Value)).WithName(PartitionStateClientName);
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

        services.TryAddSingleton(sp => new BlobPartitionStateStore(separateStateAccount
            ? sp.GetRequiredService<IAzureClientFactory<BlobServiceClient>>().CreateClient(PartitionStateClientName)
            : sp.GetRequiredService<BlobServiceClient>()));
        services.Replace(ServiceDescriptor.Singleton<IPartitionStateStore>(sp => sp.GetRequiredService<BlobPartitionStateStore>()));
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

    /// <summary>Whether <see cref="PartitionStateStorageSection"/> names an account of its own for the partitions' state.</summary>
    public static bool HasPartitionStateAccount(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(PartitionStateStorageSection);
        return !string.IsNullOrEmpty(section.Value) || !string.IsNullOrEmpty(section["blobServiceUri"]);
    }

    private static Uri RequiredUri(IConfigurationSection section, string key) =>
        Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"Configure {section.Path} as a connection string, or {section.Path}:{key} as an absolute URI.");
}
