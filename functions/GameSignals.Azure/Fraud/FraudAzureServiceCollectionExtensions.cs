using Azure.Identity;
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
    /// The producer connects with the <c>EventHubs</c> setting, the Event Hubs triggers' connection: a connection
    /// string locally, or <c>EventHubs:fullyQualifiedNamespace</c> (app setting <c>EventHubs__fullyQualifiedNamespace</c>)
    /// with the app's identity in Azure. It connects on first send only.
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

        var eventHubs = configuration.GetSection("EventHubs");
        services.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(_ => new EventHubFraudActionPublisher(CreateProducer(eventHubs))));
        return services;
    }

    private static EventHubProducerClient CreateProducer(IConfigurationSection eventHubs)
    {
        if (!string.IsNullOrEmpty(eventHubs.Value))
        {
            return new EventHubProducerClient(eventHubs.Value, EventHubFraudActionPublisher.HubName);
        }

        var fullyQualifiedNamespace = eventHubs["fullyQualifiedNamespace"];
        return string.IsNullOrEmpty(fullyQualifiedNamespace)
            ? throw new InvalidOperationException("Configure EventHubs as a connection string, or EventHubs:fullyQualifiedNamespace.")
            : new EventHubProducerClient(fullyQualifiedNamespace, EventHubFraudActionPublisher.HubName, new DefaultAzureCredential());
    }
}
