using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GameSignals.Integration.Tests;

/// <summary>
/// Azurite and the Cosmos DB stand-in for the integration tests. When <c>AZURITE_BLOB_ENDPOINT</c>
/// (e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>, with <c>AZURITE_QUEUE_ENDPOINT</c> beside it) or <c>COSMOS_ENDPOINT</c> (e.g.
/// <c>https://127.0.0.1:8081/</c>) is set, that running service is used (as .ci/run does, and as a
/// real emulator can be); otherwise the fixture starts it from the repository's node_modules
/// (<c>npm ci</c> at the root) on free ports and stops it afterwards.
/// </summary>
public sealed class LocalServices : IAsyncLifetime
{
    /// <summary>Azurite's and the Cosmos emulator's published development keys.</summary>
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string CosmosEmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly List<Process> _started = [];

    public string StorageConnectionString { get; private set; } = "";

    public Uri CosmosEndpoint { get; private set; } = null!;

    /// <summary>Options for a fresh database on the Cosmos stand-in, one per test class run, so runs never share state.</summary>
    public GameSignals.Azure.Cosmos.CosmosOptions NewCosmosDatabase() => new()
    {
        AccountEndpoint = CosmosEndpoint,
        Key = CosmosEmulatorKey,
        IsLocalEmulator = true,
        Database = "it-" + Guid.NewGuid().ToString("N")[..12],
    };

    public async Task InitializeAsync()
    {
        var blob = Environment.GetEnvironmentVariable("AZURITE_BLOB_ENDPOINT");
        var queue = Environment.GetEnvironmentVariable("AZURITE_QUEUE_ENDPOINT");
        if (string.IsNullOrEmpty(blob))
        {
            int blobPort = FreePort(), queuePort = FreePort(), tablePort = FreePort();
            Start(Path.Combine("node_modules", "azurite", "dist", "src", "azurite.js"),
                "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--inMemoryPersistence",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", $"{blobPort}", "--queuePort", $"{queuePort}", "--tablePort", $"{tablePort}");
            await WaitForPortAsync(blobPort).ConfigureAwait(false);
            blob = $"http://127.0.0.1:{blobPort}/devstoreaccount1";
            queue = $"http://127.0.0.1:{queuePort}/devstoreaccount1";
        }

        StorageConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};BlobEndpoint={blob};"
            + (string.IsNullOrEmpty(queue) ? "" : $"QueueEndpoint={queue};");

        var cosmos = Environment.GetEnvironmentVariable("COSMOS_ENDPOINT");
        if (string.IsNullOrEmpty(cosmos))
        {
            var port = FreePort();
            Start(Path.Combine("tests", "GameSignals.Integration.Tests", "cosmos-standin.js"), "--port", $"{port}", "--host", "127.0.0.1");
            await WaitForPortAsync(port).ConfigureAwait(false);
            cosmos = $"https://127.0.0.1:{port}/";
        }

        CosmosEndpoint = new Uri(cosmos);
    }

    public Task DisposeAsync()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        return Task.CompletedTask;
    }

    private void Start(string script, params string[] arguments)
    {
        var root = RepositoryFiles.Root;
        if (!File.Exists(Path.Combine(root, script)))
        {
            throw new InvalidOperationException($"{script} is missing under {root}: run `npm ci` at the repository root first.");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForPortAsync(int port)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_started.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("A local service exited while starting.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"Nothing answered on port {port} within 30 s.");
    }
}

[CollectionDefinition(Name)]
public sealed class LocalServicesGroup : ICollectionFixture<LocalServices>
{
    public const string Name = "local services";
}
