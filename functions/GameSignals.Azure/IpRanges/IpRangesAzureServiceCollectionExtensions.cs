using GameSignals.IpRanges;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Azure.IpRanges;

public static class IpRangesAzureServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the in-memory IP range stores with <see cref="BlobRangeSnapshotStore"/> and
    /// <see cref="CosmosBlocklistStore"/>, and declares the <c>blocklist</c> container. Needs the clients of
    /// <see cref="AzureServiceCollectionExtensions.AddGameSignalsAzure"/>.
    /// </summary>
    public static IServiceCollection AddIpRangesAzure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosContainer(_ => CosmosBlocklistStore.ContainerSpec);
        services.Replace(ServiceDescriptor.Singleton<IRangeSnapshotStore, BlobRangeSnapshotStore>());
        services.Replace(ServiceDescriptor.Singleton<IBlocklistStore, CosmosBlocklistStore>());
        return services;
    }
}
