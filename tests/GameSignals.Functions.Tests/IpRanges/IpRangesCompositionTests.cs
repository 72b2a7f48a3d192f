using GameSignals.Azure.IpRanges;
using GameSignals.Functions.IpRanges;
using GameSignals.IpRanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Tests.IpRanges;

/// <summary>The app's IP range services as composed from settings.</summary>
public sealed class IpRangesCompositionTests
{
    [Fact]
    public void The_app_uses_the_Azure_stores_and_follows_the_published_snapshot_with_a_hosted_updater()
    {
        using var provider = Compose(new() { ["IpRanges:PointerCheckInterval"] = "00:00:30" });

        Assert.IsType<BlobRangeSnapshotStore>(provider.GetRequiredService<IRangeSnapshotStore>());
        Assert.IsType<CosmosBlocklistStore>(provider.GetRequiredService<IBlocklistStore>());
        Assert.Contains(provider.GetServices<IHostedService>(), service => ReferenceEquals(service, provider.GetRequiredService<IpRangesUpdater>()));
        Assert.Same(provider.GetRequiredService<CurrentRangeTable>(), provider.GetRequiredService<IIpIntelligence>());
        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<IOptions<IpRangesHostOptions>>().Value.PointerCheckInterval);
    }

    [Fact]
    public void Sources_default_to_the_providers_public_feeds_and_a_configured_URL_wins()
    {
        using var provider = Compose(new()
        {
            ["IpRanges:Sources:Aws:Url"] = "https://mirror.example/aws.json",
            ["IpRanges:Sources:Azure:Url"] = "https://download.example/ServiceTags_Public_20261123.json",
            ["IpRanges:Sources:Azure:MaxBytes"] = "1000",
        });

        var sources = provider.GetRequiredService<IOptions<IpRangesOptions>>().Value.Sources;

        Assert.Equal("https://mirror.example/aws.json", sources[RangeSourceKind.Aws].Url!.ToString());
        Assert.Equal(IpRangesFunctionServices.DefaultSourceUrls[RangeSourceKind.Gcp], sources[RangeSourceKind.Gcp].Url);
        Assert.Equal(IpRangesFunctionServices.DefaultSourceUrls[RangeSourceKind.Ip2Asn], sources[RangeSourceKind.Ip2Asn].Url);
        Assert.Equal(1000, sources[RangeSourceKind.Azure].MaxBytes);
        Assert.False(sources.ContainsKey(RangeSourceKind.Blocklist));
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings["Storage"] = "UseDevelopmentStorage=true";
        settings["Cosmos:AccountEndpoint"] = "https://127.0.0.1:9/";
        settings["Cosmos:Key"] = "a2V5";
        settings["Cosmos:IsLocalEmulator"] = "true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
