using System.Net;
using GameSignals.IpRanges;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace GameSignals.Tests.IpRanges;

/// <summary>The refresh against a real HTTP server on 127.0.0.1.</summary>
public sealed class IpRangesRefresherTests : IDisposable
{
    private static readonly string Examples = Path.Combine(RepositoryFiles.Examples, "ipranges");
    private readonly FeedServer _server = new();
    private readonly InMemoryRangeSnapshotStore _store = new();
    private readonly Dictionary<RangeSourceKind, IpRangeSourceOptions> _sources = [];
    private readonly List<ServiceProvider> _providers = [];

    public IpRangesRefresherTests()
    {
        Serve(RangeSourceKind.Aws, File.ReadAllBytes(Path.Combine(RepositoryFiles.RangeFormats, "aws-ip-ranges.json")));
        Serve(RangeSourceKind.Ip2Asn, File.ReadAllBytes(Path.Combine(Examples, "ip2asn.tsv")));
        Serve(RangeSourceKind.Blocklist, File.ReadAllBytes(Path.Combine(Examples, "blocklist.json")));
    }

    public void Dispose()
    {
        _providers.ForEach(provider => provider.Dispose());
        _server.Dispose();
    }

    [Fact]
    public async Task The_first_refresh_publishes_and_the_next_one_is_answered_with_304_and_changes_nothing()
    {
        var services = Start();
        var refresher = services.GetRequiredService<IpRangesRefresher>();
        using var refreshes = new MetricCollector<long>(services.GetRequiredService<IpRangesMetrics>().Refreshes);

        var first = await refresher.RefreshAsync(CancellationToken.None);
        var second = await refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Published, first.Outcome);
        Assert.Equal(IpRangesRefreshOutcome.Unchanged, second.Outcome);
        Assert.Equal(["published", "unchanged"], refreshes.GetMeasurementSnapshot().Select(m => m.Tags["outcome"]));
        Assert.Equal(first.Version, second.Version);
        Assert.Equal(first.Version, (await _store.GetPointerAsync(CancellationToken.None))!.Version);
        Assert.Equal(["Aws 200", "Ip2Asn 200", "Blocklist 200", "Aws 304", "Ip2Asn 304", "Blocklist 304"], _server.Log);

        var current = services.GetRequiredService<CurrentRangeTable>();
        Assert.True(await current.CheckForUpdateAsync(CancellationToken.None));
        var intelligence = services.GetRequiredService<IIpIntelligence>();
        var ranges = new List<CloudRange>();
        intelligence.GetCloudRanges(IPAddress.Parse("198.18.5.33"), ranges);
        Assert.Equal(3, ranges.Count);
        var blocked = new List<BlocklistEntry>();
        intelligence.GetBlocklistMatches(IPAddress.Parse("203.0.113.9"), DateTimeOffset.UtcNow, blocked);
        Assert.Equal("bulletproof hosting", Assert.Single(blocked).Reason);
    }

    [Fact]
    public async Task A_source_that_shrank_too_much_is_refused_and_its_last_good_copy_stays()
    {
        var services = Start();
        var refresher = services.GetRequiredService<IpRangesRefresher>();
        using var refused = new MetricCollector<long>(services.GetRequiredService<IpRangesMetrics>().Refused);
        var first = await refresher.RefreshAsync(CancellationToken.None);
        Serve(RangeSourceKind.Aws, File.ReadAllBytes(Path.Combine(Examples, "aws-ip-ranges.json")));

        var second = await refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Unchanged, second.Outcome);
        Assert.Equal(first.Version, second.Version);
        var refusal = Assert.Single(second.Refused);
        Assert.Equal((RangeSourceKind.Aws, "shrink"), (refusal.Kind, refusal.Reason));
        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal("shrink", measurement.Tags["reason"]);
        Assert.Equal("aws-ip-ranges.json", measurement.Tags["source"]);
        var log = Assert.Single(services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 302);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(("aws-ip-ranges.json", "shrink"), (log.GetStructuredStateValue("Source"), log.GetStructuredStateValue("Reason")));
    }

    [Fact]
    public async Task After_a_restart_the_published_snapshot_is_the_baseline_of_the_shrink_check()
    {
        await Start().GetRequiredService<IpRangesRefresher>().RefreshAsync(CancellationToken.None);
        Serve(RangeSourceKind.Aws, File.ReadAllBytes(Path.Combine(Examples, "aws-ip-ranges.json")));

        var restarted = await Start().GetRequiredService<IpRangesRefresher>().RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Refused, restarted.Outcome);
        Assert.Equal("shrink", Assert.Single(restarted.Refused).Reason);
    }

    [Fact]
    public async Task A_download_that_does_not_parse_is_refused_and_the_last_good_copy_is_published_with_the_other_changes()
    {
        var services = Start();
        var refresher = services.GetRequiredService<IpRangesRefresher>();
        var first = await refresher.RefreshAsync(CancellationToken.None);
        var aws = File.ReadAllBytes(Path.Combine(RepositoryFiles.RangeFormats, "aws-ip-ranges.json"));
        Serve(RangeSourceKind.Aws, aws[..(aws.Length / 3)]);
        Serve(RangeSourceKind.Blocklist, """
            { "entries": [
              { "cidr": "192.0.2.0/24", "reason": "chargeback ring" },
              { "asn": 64512, "reason": "bulletproof hosting" },
              { "cidr": "198.51.100.0/24", "reason": "new ring" } ] }
            """u8.ToArray());

        var second = await refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Published, second.Outcome);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal((RangeSourceKind.Aws, "parse"), (Assert.Single(second.Refused).Kind, second.Refused[0].Reason));
        var table = RangeSnapshot.Load((await _store.ReadSnapshotAsync((await _store.GetPointerAsync(CancellationToken.None))!.BlobName, CancellationToken.None))!);
        Assert.Equal(10, table.CountCloudEntries("aws"));
        Assert.Contains(table.ToSources().Blocklist, entry => entry.Reason == "new ring");
    }

    [Fact]
    public async Task An_oversize_download_is_refused_and_without_a_last_good_copy_nothing_is_published()
    {
        var services = Start(maxBytes: 1000);
        using var refreshes = new MetricCollector<long>(services.GetRequiredService<IpRangesMetrics>().Refreshes);

        var result = await services.GetRequiredService<IpRangesRefresher>().RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Refused, result.Outcome);
        Assert.Equal("refused", Assert.Single(refreshes.GetMeasurementSnapshot()).Tags["outcome"]);
        Assert.Contains(result.Refused, refusal => refusal is { Kind: RangeSourceKind.Aws, Reason: "oversize" });
        Assert.Null(await _store.GetPointerAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_transient_server_error_is_retried()
    {
        Serve(RangeSourceKind.Ip2Asn, File.ReadAllBytes(Path.Combine(Examples, "ip2asn.tsv")), failuresFirst: 1);

        var result = await Start().GetRequiredService<IpRangesRefresher>().RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Published, result.Outcome);
        Assert.Equal(["Ip2Asn 503", "Ip2Asn 200"], _server.Log.Where(line => line.StartsWith("Ip2Asn", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Entries_of_the_blocklist_store_are_published_with_the_sources()
    {
        var services = Start();
        await services.GetRequiredService<IBlocklistStore>().UpsertAsync(
            new BlocklistEntry(null, 64600, "farm ASN", null, "ops", "asn-64600"), BlocklistPrecondition.None, CancellationToken.None);

        await services.GetRequiredService<IpRangesRefresher>().RefreshAsync(CancellationToken.None);
        var current = services.GetRequiredService<CurrentRangeTable>();
        await current.CheckForUpdateAsync(CancellationToken.None);

        var blocked = new List<BlocklistEntry>();
        current.GetBlocklistMatches(IPAddress.Parse("100.64.0.1"), DateTimeOffset.UtcNow, blocked);
        Assert.Equal("asn-64600", Assert.Single(blocked).Id);
    }

    [Fact]
    public async Task A_refresh_that_lost_the_race_for_the_pointer_does_not_move_it()
    {
        var services = Start();
        var rival = new RivalWriter(_store);

        var result = await new IpRangesRefresher(
            services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IOptions<IpRangesOptions>>(), rival,
            services.GetRequiredService<IBlocklistStore>(), services.GetRequiredService<IpRangesMetrics>(),
            NullLogger<IpRangesRefresher>.Instance).RefreshAsync(CancellationToken.None);

        Assert.Equal(IpRangesRefreshOutcome.Conflict, result.Outcome);
        Assert.Equal("rival", (await _store.GetPointerAsync(CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_written_fails_the_refresh_counted_and_logged_with_the_reason()
    {
        var services = Start();
        var logger = new FakeLogger<IpRangesRefresher>();
        var metrics = services.GetRequiredService<IpRangesMetrics>();
        using var refreshes = new MetricCollector<long>(metrics.Refreshes);
        using var refresher = new IpRangesRefresher(
            services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IOptions<IpRangesOptions>>(), new UnwritableStore(_store),
            services.GetRequiredService<IBlocklistStore>(), metrics, logger);

        await Assert.ThrowsAsync<IOException>(() => refresher.RefreshAsync(CancellationToken.None));

        Assert.Null(await _store.GetPointerAsync(CancellationToken.None));
        Assert.Equal("failed", Assert.Single(refreshes.GetMeasurementSnapshot()).Tags["outcome"]);
        var log = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 306);
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal("the storage account is unreachable", log.GetStructuredStateValue("Reason"));
    }

    private void Serve(RangeSourceKind kind, byte[] body, int failuresFirst = 0) =>
        _sources[kind] = new IpRangeSourceOptions { Url = _server.Publish(kind.ToString(), body, failuresFirst) };

    private ServiceProvider Start(long maxBytes = 1 << 24)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddSingleton<IRangeSnapshotStore>(_store);
        services.AddIpRanges();
        services.Configure<IpRangesOptions>(options =>
        {
            foreach (var (kind, source) in _sources)
            {
                options.Sources[kind] = new IpRangeSourceOptions { Url = source.Url, MaxBytes = maxBytes };
            }
        });
        services.Configure<HttpStandardResilienceOptions>($"{IpRangesRefresher.HttpClientName}-standard", resilience =>
        {
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(1);
            resilience.Retry.UseJitter = false;
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    /// <summary>Moves the pointer itself while the refresh is writing its snapshot, as a concurrent refresh would.</summary>
    private sealed class RivalWriter(InMemoryRangeSnapshotStore inner) : IRangeSnapshotStore
    {
        public Task<RangeSnapshotPointer?> GetPointerAsync(CancellationToken cancellationToken) => inner.GetPointerAsync(cancellationToken);

        public Task<byte[]?> ReadSnapshotAsync(string blobName, CancellationToken cancellationToken) => inner.ReadSnapshotAsync(blobName, cancellationToken);

        public async Task WriteSnapshotAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            await inner.TryUpdatePointerAsync("rival", "rival.bin", null, cancellationToken);
            await inner.WriteSnapshotAsync(blobName, content, cancellationToken);
        }

        public Task<bool> TryUpdatePointerAsync(string version, string blobName, string? expectedETag, CancellationToken cancellationToken) =>
            inner.TryUpdatePointerAsync(version, blobName, expectedETag, cancellationToken);
    }

    /// <summary>Reads like the real store but every snapshot write fails, as when storage is down.</summary>
    private sealed class UnwritableStore(InMemoryRangeSnapshotStore inner) : IRangeSnapshotStore
    {
        public Task<RangeSnapshotPointer?> GetPointerAsync(CancellationToken cancellationToken) => inner.GetPointerAsync(cancellationToken);

        public Task<byte[]?> ReadSnapshotAsync(string blobName, CancellationToken cancellationToken) => inner.ReadSnapshotAsync(blobName, cancellationToken);

        public Task WriteSnapshotAsync(string blobName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
            throw new IOException("the storage account is unreachable");

        public Task<bool> TryUpdatePointerAsync(string version, string blobName, string? expectedETag, CancellationToken cancellationToken) =>
            inner.TryUpdatePointerAsync(version, blobName, expectedETag, cancellationToken);
    }
}
