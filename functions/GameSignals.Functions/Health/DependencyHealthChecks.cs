using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GameSignals.Admin.Health;
using GameSignals.Azure;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Health;

/// <summary>The dependencies the health function reports: each healthy when it answers a cheap read in time.</summary>
public static class DependencyHealthChecks
{
    /// <summary>How long one dependency may take to answer before it counts as down.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The checks, and the failure counts of Storage (<see cref="StorageFailureCounts"/>) the Health page shows beside them;
    /// <c>partition-state</c> too when the partitions' state has an account of its own.
    /// </summary>
    public static IServiceCollection AddDependencyHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<CosmosHealthCheck>("cosmos", timeout: Timeout)
            .AddCheck<BlobStorageHealthCheck>("blobs", timeout: Timeout)
            .AddCheck<QueueStorageHealthCheck>("queues", timeout: Timeout);
        if (AzureServiceCollectionExtensions.HasPartitionStateAccount(configuration))
        {
            checks.Add(new HealthCheckRegistration(
                "partition-state",
                sp => new BlobStorageHealthCheck(sp.GetRequiredService<BlobPartitionStateStore>().Service),
                failureStatus: null,
                tags: null,
                timeout: Timeout));
        }

        services.AddSingleton<IFailureCounts, StorageFailureCounts>();
        return services;
    }
}

/// <summary>Reads the app's database.</summary>
internal sealed class CosmosHealthCheck(CosmosClient client, IOptions<CosmosOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        using var response = await client.GetDatabase(options.Value.Database).ReadStreamAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
    }
}

/// <summary>Lists one blob container.</summary>
internal sealed class BlobStorageHealthCheck(BlobServiceClient service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        await using var pages = service.GetBlobContainersAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).GetAsyncEnumerator(cancellationToken);
        await pages.MoveNextAsync().ConfigureAwait(false);
        return HealthCheckResult.Healthy();
    }
}

/// <summary>Lists one queue.</summary>
internal sealed class QueueStorageHealthCheck(QueueServiceClient service) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        await using var pages = service.GetQueuesAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1).GetAsyncEnumerator(cancellationToken);
        await pages.MoveNextAsync().ConfigureAwait(false);
        return HealthCheckResult.Healthy();
    }
}
