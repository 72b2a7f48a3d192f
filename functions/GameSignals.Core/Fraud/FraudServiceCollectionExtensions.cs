using GameSignals.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GameSignals.Fraud;

public static class FraudServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fraud stage as an <see cref="IEventStage"/>, the settings cache, and in-memory stores and
    /// publisher unless others are registered (the Azure adapters replace them). The stage needs an
    /// <see cref="IpRanges.IIpIntelligence"/>, which the IP ranges capability registers.
    /// </summary>
    public static IServiceCollection AddFraud(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FraudOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddStoreRetry();
        services.TryAddSingleton<IFraudConfigStore, InMemoryFraudConfigStore>();
        services.TryAddSingleton<IFlagStore, InMemoryFlagStore>();
        services.TryAddSingleton<IReceiptUseStore, InMemoryReceiptUseStore>();
        services.TryAddSingleton<IFraudActionPublisher, InMemoryFraudActionPublisher>();
        services.TryAddSingleton<IDeviceSightingStore>(sp =>
            new InMemoryDeviceSightingStore(sp.GetRequiredService<IOptions<FraudOptions>>().Value.SightingRetention));
        services.TryAddSingleton<FraudConfigCache>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventStage, FraudStage>());
        return services;
    }
}
