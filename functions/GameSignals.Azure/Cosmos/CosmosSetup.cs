using System.Text.Json;
using Azure.Core;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Azure.Cosmos;

/// <summary>
/// A container the app needs: its name, partition key paths (one, or up to three for a hierarchical key) and default
/// TTL (seconds, -1 = on without default).
/// </summary>
public sealed record CosmosContainerSpec(string Name, IReadOnlyList<string> PartitionKeyPaths, int? DefaultTimeToLiveSeconds = null)
{
    public CosmosContainerSpec(string name, string partitionKeyPath, int? defaultTimeToLiveSeconds = null)
        : this(name, [partitionKeyPath], defaultTimeToLiveSeconds)
    {
    }
}

/// <summary>Builds the app's one <see cref="CosmosClient"/> and creates the database and containers when asked.</summary>
public static class CosmosSetup
{
    /// <param name="handlers">Request handlers to put in the client's pipeline (tests inject faults with one); none in the app.</param>
    public static CosmosClient CreateClient(CosmosOptions options, TokenCredential credential, IEnumerable<RequestHandler>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var endpoint = options.AccountEndpoint?.ToString()
            ?? throw new InvalidOperationException("Cosmos:AccountEndpoint is not configured.");
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "GameSignals",
            UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
            // The SDK retries throttling and transient errors itself; bounded so a batch fails within the invocation.
            MaxRetryAttemptsOnRateLimitedRequests = 9,
            MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(30),
            RequestTimeout = options.OperationTimeout,
            EnableContentResponseOnWrite = false,
        };
        foreach (var handler in handlers ?? [])
        {
            clientOptions.CustomHandlers.Add(handler);
        }

        if (options.IsLocalEmulator)
        {
            // Local emulators and the stand-in serve a self-signed certificate on one endpoint, over HTTP only.
            clientOptions.ConnectionMode = ConnectionMode.Gateway;
            clientOptions.LimitToEndpoint = true;
            clientOptions.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }

        return string.IsNullOrEmpty(options.Key)
            ? new CosmosClient(endpoint, credential, clientOptions)
            : new CosmosClient(endpoint, options.Key, clientOptions);
    }

    /// <summary>Creates the database and each container that does not exist yet; existing ones are left as they are.</summary>
    public static async Task EnsureResourcesAsync(CosmosClient client, string database, IEnumerable<CosmosContainerSpec> containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(containers);
        var db = (await client.CreateDatabaseIfNotExistsAsync(database, cancellationToken: cancellationToken).ConfigureAwait(false)).Database;
        foreach (var spec in containers)
        {
            var properties = spec.PartitionKeyPaths.Count == 1
                ? new ContainerProperties(spec.Name, spec.PartitionKeyPaths[0])
                : new ContainerProperties(spec.Name, spec.PartitionKeyPaths);
            properties.DefaultTimeToLive = spec.DefaultTimeToLiveSeconds;
            await db.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
