using Azure.Messaging.EventHubs.Producer;
using GameSignals.Fraud;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Azure.Fraud;

public static class FraudAzureServiceCollectionExtensions
{
    /// <summary>
    /// The Azure implementations of the fraud stores (Cosmos containers <c>flags</c>, <c>devicesightings</c>,
    /// <c>receiptuses</c>, <c>fraudconfig</c>, declared for creation) and the <c>fraud-actions</c> publisher,
    /// replacing the in-memory ones. Needs <see cref="AzureServiceCollectionExtensions.AddGameSignalsAzure"/>'s Cosmos client.
    /// </summary>
    /// <remarks>
    /// The producer connects as <see cref="EventHubsConnection"/> says, on first send only.
    /// </remarks>
    public static IServiceCollection AddFraudAzure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCosmosContainer(_ => CosmosFlagStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosDeviceSightingStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosReceiptUseStore.ContainerSpec);
        services.AddCosmosContainer(_ => CosmosFraudConfigStore.ContainerSpec);
        services.Replace(ServiceDescriptor.Singleton<IFlagStore, CosmosFlagStore>());
        services.Replace(ServiceDescriptor.Singleton<IDeviceSightingStore, CosmosDeviceSightingStore>());
        services.Replace(ServiceDescriptor.Singleton<IReceiptUseStore, CosmosReceiptUseStore>());
        services.Replace(ServiceDescriptor.Singleton<IFraudConfigStore, CosmosFraudConfigStore>());

        services.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(_ => new EventHubFraudActionPublisher(EventHubsConnection.Create(
            configuration,
            connectionString => new EventHubProducerClient(connectionString, EventHubFraudActionPublisher.HubName),
            (fullyQualifiedNamespace, credential) => new EventHubProducerClient(fullyQualifiedNamespace, EventHubFraudActionPublisher.HubName, credential)))));
        return services;
    }
}
