using System.ComponentModel.DataAnnotations;
using GameSignals.Azure.Notifications;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace GameSignals.Functions.Notifications;

/// <summary>The <c>Push</c> configuration section: which provider delivers push requests, and its settings.</summary>
public sealed class PushOptions : IValidatableObject
{
    public const string SectionName = "Push";

    /// <summary><c>webhook</c> or <c>fcm</c>.</summary>
    [RegularExpression("^(?i:webhook|fcm|off)$", ErrorMessage = "Push:Provider must be webhook, fcm or off.")]
    public string Provider { get; set; } = "webhook";

    /// <summary><c>Push:Webhook:Url</c> and <c>Push:Webhook:Secret</c> (a Key Vault reference in Azure).</summary>
    public WebhookPushOptions Webhook { get; set; } = new();

    /// <summary><c>Push:Fcm:ServiceAccountJson</c> (a Key Vault reference in Azure): the project comes from its <c>project_id</c>.</summary>
    public FcmPushOptions Fcm { get; set; } = new();

    /// <summary>
    /// Attempts before the host moves a request to <c>push-requests-poison</c>: host.json's
    /// <c>extensions.queues.maxDequeueCount</c>, which the worker cannot read (a test keeps them equal).
    /// </summary>
    [Range(1, 100, ErrorMessage = "Push:MaxDequeueCount must be from 1 to 100.")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The chosen provider's own settings are required; the other's are not read.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.Equals(Provider, "webhook", StringComparison.OrdinalIgnoreCase))
        {
            if (Webhook.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult("Push:Webhook:Url must be an absolute http or https URL when Push:Provider is webhook.", [nameof(Webhook)]);
            }

            if (string.IsNullOrEmpty(Webhook.Secret))
            {
                yield return new ValidationResult("Push:Webhook:Secret is required when Push:Provider is webhook: the receiver verifies the signature with it.", [nameof(Webhook)]);
            }
        }
        else if (string.Equals(Provider, "fcm", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(Fcm.ServiceAccountJson))
        {
            yield return new ValidationResult("Push:Fcm:ServiceAccountJson is required when Push:Provider is fcm.", [nameof(Fcm)]);
        }
    }
}


public static class NotificationsFunctionServices
{
    /// <summary>
    /// The notification capability in the function app: the stage and rule cache (options from the
    /// <c>Notifications</c> section) over the Cosmos and Storage queue stores, and the push provider chosen by <c>Push:Provider</c>.
    /// </summary>
    public static IServiceCollection AddNotificationsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddNotifications();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection("Notifications"));
        services.AddNotificationsAzure();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(NotificationMetrics.MeterName));

        services.AddOptions<PushOptions>().Bind(configuration.GetSection(PushOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // One long-lived client whose connections are recycled, so provider DNS changes are picked up.
        services.TryAddKeyedSingleton(PushOptions.SectionName, (_, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(15),
        });
        services.TryAddSingleton<IPushProvider>(sp =>
        {
            var push = sp.GetRequiredService<IOptions<PushOptions>>().Value;
            var http = sp.GetRequiredKeyedService<HttpClient>(PushOptions.SectionName);
            return push.Provider.ToUpperInvariant() switch
            {
                "WEBHOOK" => new WebhookPushProvider(http, push.Webhook),
                "FCM" => new FcmPushProvider(http, push.Fcm, sp.GetRequiredService<TimeProvider>()),
                "OFF" => new PushOffProvider(),
                _ => throw new InvalidOperationException($"Push:Provider '{push.Provider}' is not webhook, fcm or off."),
            };
        });
        return services;
    }
}
