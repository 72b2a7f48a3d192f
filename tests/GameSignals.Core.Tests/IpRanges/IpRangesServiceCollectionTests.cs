using GameSignals.IpRanges;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Tests.IpRanges;

public sealed class IpRangesServiceCollectionTests
{
    [Fact]
    public void Lookups_go_through_the_current_table_and_stores_registered_before_are_kept()
    {
        var blocklist = new InMemoryBlocklistStore();
        var services = new ServiceCollection();
        services.AddSingleton<IBlocklistStore>(blocklist);

        using var provider = services.AddIpRanges().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<CurrentRangeTable>(), provider.GetRequiredService<IIpIntelligence>());
        Assert.Same(blocklist, provider.GetRequiredService<IBlocklistStore>());
        Assert.IsType<InMemoryRangeSnapshotStore>(provider.GetRequiredService<IRangeSnapshotStore>());
        Assert.NotNull(provider.GetRequiredService<IpRangesRefresher>());
    }
}
