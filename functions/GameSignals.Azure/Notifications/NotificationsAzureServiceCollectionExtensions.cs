using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using GameSignals.Azure.Startup;
using GameSignals.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Azure.Notifications;

public static class NotificationsAzureServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the notification capability's in-memory stores with the Cosmos and Storage queue ones and
    /// declares their containers and queues. Call after <c>AddNotifications</c> and <c>AddGameSignalsAzure</c>.
    /// </summary>
    public static IServiceCollection AddNotificationsAzure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosContainer(_ => CosmosNotificationStore.ContainerSpec());
        services.AddCosmosContainer(_ => CosmosPlayerLocaleStore.ContainerSpec());
        services.AddCosmosContainer(_ => CosmosRuleStore.ContainerSpec());
        services.AddCosmosContainer(_ => CosmosShadowNotificationStore.ContainerSpec());
        services.AddCosmosContainer(_ => CosmosRuleHistoryStore.ContainerSpec());
        services.Replace(ServiceDescriptor.Singleton<INotificationStore, CosmosNotificationStore>());
        services.Replace(ServiceDescriptor.Singleton<IPlayerLocaleStore, CosmosPlayerLocaleStore>());
        services.Replace(ServiceDescriptor.Singleton<IRuleStore, CosmosRuleStore>());
        services.Replace(ServiceDescriptor.Singleton<IShadowNotificationStore, CosmosShadowNotificationStore>());
        services.Replace(ServiceDescriptor.Singleton<IRuleHistoryStore, CosmosRuleHistoryStore>());
        services.Replace(ServiceDescriptor.Singleton<IPushQueue, StorageQueuePushQueue>());

        // The push sender's queue trigger polls both; a missing queue is a 404 warning every poll.
        foreach (var queue in new[] { StorageQueuePushQueue.QueueName, StorageQueuePushQueue.PoisonQueueName })
        {
            services.AddStartupResource($"Storage queue {queue}", (sp, cancellationToken) =>
                sp.GetRequiredService<QueueServiceClient>().GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }
        return services;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LocaleItem))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class NotificationsAzureJson : JsonSerializerContext;
