using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the notification stage as an <see cref="IEventStage"/>, the rule cache, and in-memory
    /// stores (rules, rule history, notifications, shadow records, locales, push queue) that Azure adapters may replace.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, Action<NotificationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<NotificationOptions>().ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationMetrics>();
        services.AddStoreRetry();
        services.TryAddSingleton<IRuleStore, InMemoryRuleStore>();
        services.TryAddSingleton<INotificationStore, InMemoryNotificationStore>();
        services.TryAddSingleton<IShadowNotificationStore, InMemoryShadowNotificationStore>();
        services.TryAddSingleton<IRuleHistoryStore, InMemoryRuleHistoryStore>();
        services.TryAddSingleton<IPlayerLocaleStore, InMemoryPlayerLocaleStore>();
        services.TryAddSingleton<IPushQueue, InMemoryPushQueue>();
        services.TryAddSingleton<RuleCache>();
        services.TryAddSingleton<RuleEditor>();
        services.TryAddSingleton<NotificationDelivery>();
        services.TryAddSingleton<NotificationStage>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, NotificationStage>(sp => sp.GetRequiredService<NotificationStage>()));
        services.AddPartitionStatePart(NotificationState.Type);
        return services;
    }
}
