using Azure.Messaging.EventHubs.Consumer;
using GameSignals.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.Azure.Events;

public static class EventsAzureServiceCollectionExtensions
{
    /// <summary>
    /// A player's recent events read back from <paramref name="hubs"/> (<see cref="EventHubRecentEvents"/>), with the
    /// <c>RecentEvents</c> settings, over the connection <see cref="EventHubsConnection"/> describes; nothing connects
    /// before the first look-up.
    /// </summary>
    public static IServiceCollection AddRecentEventsAzure(this IServiceCollection services, IConfiguration configuration, params string[] hubs)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RecentEventsOptions>().Bind(configuration.GetSection(RecentEventsOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<IRecentEvents>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RecentEventsOptions>>();
            var group = options.Value.ConsumerGroup;
            EventHubConsumerClient[] clients = [.. hubs.Select(hub => EventHubsConnection.Create(
                configuration,
                connectionString => new EventHubConsumerClient(group, connectionString, hub),
                (fullyQualifiedNamespace, credential) => new EventHubConsumerClient(group, fullyQualifiedNamespace, hub, credential)))];
            return new EventHubRecentEvents(clients, options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<EventHubRecentEvents>>());
        }));
        return services;
    }
}
