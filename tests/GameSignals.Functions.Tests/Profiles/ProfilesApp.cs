using GameSignals.Admin;
using GameSignals.Functions.Profiles;
using GameSignals.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Functions.Tests.Profiles;

/// <summary>The profiles functions as the app composes them, over in-memory stores and an exact index.</summary>
internal sealed class ProfilesApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private ProfilesApp(ServiceProvider provider) => _provider = provider;

    public InMemoryProfileStore Profiles => (InMemoryProfileStore)_provider.GetRequiredService<IProfileStore>();

    public IPopulationStatisticsStore Statistics => _provider.GetRequiredService<IPopulationStatisticsStore>();

    public IPlayerIndex Index => _provider.GetRequiredService<IPlayerIndex>();

    public ProfileIndexer Indexer => _provider.GetRequiredService<ProfileIndexer>();

    public ProfilesRenormalizeFunction Renormalizer => ActivatorUtilities.CreateInstance<ProfilesRenormalizeFunction>(_provider);

    public SimilarityFunctions Similarity => ActivatorUtilities.CreateInstance<SimilarityFunctions>(_provider);

    public static ProfilesApp Create(string games = "odin", IPlayerIndex? index = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Profiles:Games"] = games }).Build();
        var services = new ServiceCollection().AddLogging().AddProfilesFunctions(configuration).AddAdminHandlers();
        services.Replace(ServiceDescriptor.Singleton<IProfileStore>(new InMemoryProfileStore()));
        services.Replace(ServiceDescriptor.Singleton<IPopulationStatisticsStore>(new InMemoryPopulationStatisticsStore()));
        services.Replace(ServiceDescriptor.Singleton(index ?? new ExactPlayerIndex()));
        return new ProfilesApp(services.BuildServiceProvider());
    }

    /// <summary>Twelve players of odin with statistics and vectors, as after a renormalisation.</summary>
    public static async Task<ProfilesApp> ReadyAsync()
    {
        var app = Create();
        await app.AddPlayersAsync("odin", 12);
        await app.Indexer.RefreshGameAsync("odin", CancellationToken.None);
        return app;
    }

    /// <summary>
    /// Players <c>{gameId}-0</c> .. <c>{gameId}-{count-1}</c>: level, spend and purchases grow with the number,
    /// so neighbours in number are neighbours in the vector space; platforms and servers alternate.
    /// </summary>
    public async Task<IReadOnlyList<PlayerProfile>> AddPlayersAsync(string gameId, int count, Func<int, PlayerProfile, PlayerProfile>? shape = null)
    {
        var added = new List<PlayerProfile>(count);
        for (var i = 0; i < count; i++)
        {
            var profile = PlayerProfile.New(gameId, $"{gameId}-{i}") with
            {
                Level = 1 + (i * 5),
                Spend = i * i * 10,
                Purchases = i,
                Platform = ProfileFeatures.Platforms[i % ProfileFeatures.Platforms.Count],
                Server = i % 2 == 0 ? "kr-01" : "eu-02",
                FirstSeen = Now.AddDays(-30),
                LastSeen = Now.AddHours(-i),
            };
            profile = shape?.Invoke(i, profile) ?? profile;
            await Profiles.CreateAsync(profile, CancellationToken.None);
            added.Add(profile);
        }

        return added;
    }

    /// <summary>The profiles of these games as comparable text.</summary>
    public async Task<string> SnapshotAsync(params string[] gameIds)
    {
        var lines = new List<string>();
        foreach (var gameId in gameIds.Distinct(StringComparer.Ordinal))
        {
            await foreach (var profile in Profiles.ListByGameAsync(gameId, CancellationToken.None))
            {
                lines.Add(profile.ToString());
            }
        }

        return string.Join('\n', lines);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
