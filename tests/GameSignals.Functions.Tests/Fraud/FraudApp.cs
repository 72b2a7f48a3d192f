using System.Text.Json;
using GameSignals.Fraud;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>
/// The function app composed as Program.cs composes it from local.settings.sample.json, with the Azure stores
/// replaced by the in-memory ones (no service runs here) and the odin settings of the example fraud.json.
/// </summary>
internal sealed class FraudApp : IAsyncDisposable
{
    /// <param name="inMemoryStores">False keeps the app's own (Azure) stores, for composition tests that send nothing.</param>
    public FraudApp(bool inMemoryStores = true)
    {
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration());
        if (!inMemoryStores)
        {
            Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            return;
        }

        services.UseEmbeddedStores();
        services.Replace(ServiceDescriptor.Singleton<IFlagStore>(Flags));
        services.Replace(ServiceDescriptor.Singleton<IFraudConfigStore>(Configs));
        services.Replace(ServiceDescriptor.Singleton<IFraudActionPublisher>(Actions));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ServiceProvider Services { get; }

    public InMemoryFlagStore Flags { get; } = new();

    public InMemoryFraudConfigStore Configs { get; } = new();

    public InMemoryFraudActionPublisher Actions { get; } = new();

    /// <summary>The example fraud.json's settings of game <c>odin</c>, as bytes an admin would PUT.</summary>
    public static byte[] OdinConfigJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Examples, "fraud.json")));
        return JsonSerializer.SerializeToUtf8Bytes(document.RootElement.GetProperty("games").GetProperty("odin"));
    }

    public static GameFraudConfig OdinConfig() => FraudConfigLoader.ParseGame(OdinConfigJson());

    /// <summary>An open flag of game odin raised by event <paramref name="eventId"/>.</summary>
    public static FraudFlag Flag(string eventId, string userId, string reason, DateTimeOffset time) => new()
    {
        Id = FraudFlag.IdFor(reason, "/games/odin/kr-01", eventId),
        Reason = reason,
        Severity = FraudReasons.DefaultSeverities[reason],
        GameId = "odin",
        UserId = userId,
        Source = "/games/odin/kr-01",
        EventId = eventId,
        Time = time,
        Evidence = JsonDocument.Parse("""{"platform":"pc"}""").RootElement,
    };

    /// <summary>The settings of these games and every flag, as comparable text (a save always changes the ETag).</summary>
    public async Task<string> SnapshotAsync(params string[] gameIds)
    {
        var lines = new List<string>();
        foreach (var gameId in gameIds.Distinct(StringComparer.Ordinal))
        {
            lines.Add(gameId + " " + (await Configs.GetAsync(gameId, CancellationToken.None))?.ETag);
        }

        lines.AddRange(Flags.All.Select(f => f.ToString()));
        return string.Join('\n', lines);
    }

    public T Create<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
