using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace GameSignals.Azure;

/// <summary>
/// The app's clients of Event Hubs connect with the <c>EventHubs</c> setting, the Event Hubs triggers' connection: a
/// connection string locally, or <c>EventHubs:fullyQualifiedNamespace</c> (app setting <c>EventHubs__fullyQualifiedNamespace</c>)
/// with the app's identity in Azure.
/// </summary>
internal static class EventHubsConnection
{
    public const string SectionName = "EventHubs";

    /// <summary>A client made by <paramref name="withConnectionString"/> or <paramref name="withNamespace"/>, as the setting says.</summary>
    public static T Create<T>(IConfiguration configuration, Func<string, T> withConnectionString, Func<string, TokenCredential, T> withNamespace)
    {
        var eventHubs = configuration.GetSection(SectionName);
        if (!string.IsNullOrEmpty(eventHubs.Value))
        {
            return withConnectionString(eventHubs.Value);
        }

        var fullyQualifiedNamespace = eventHubs["fullyQualifiedNamespace"];
        return string.IsNullOrEmpty(fullyQualifiedNamespace)
            ? throw new InvalidOperationException("Configure EventHubs as a connection string, or EventHubs:fullyQualifiedNamespace.")
            : withNamespace(fullyQualifiedNamespace, new DefaultAzureCredential());
    }
}
