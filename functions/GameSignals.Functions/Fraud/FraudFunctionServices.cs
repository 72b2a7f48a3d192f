using GameSignals.Azure.Fraud;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Fraud;

public static class FraudFunctionServices
{
    /// <summary>
    /// The fraud stage in the pipeline with its Cosmos stores and Event Hubs publisher, and the options of the
    /// <c>Fraud</c> section (<see cref="FraudOptions"/>). The stage's IP facts come from the IP ranges capability.
    /// </summary>
    public static IServiceCollection AddFraudFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // AddIpRanges registers its HTTP client's resilience handler each time it runs, so it runs once only,
        // whichever of the IP ranges wiring and this comes first.
        if (!services.Any(d => d.ServiceType == typeof(IIpIntelligence)))
        {
            services.AddIpRanges();
        }

        services.AddFraud();
        services.AddOptions<FraudOptions>().Bind(configuration.GetSection("Fraud"));
        services.AddFraudAzure(configuration);
        return services;
    }
}
