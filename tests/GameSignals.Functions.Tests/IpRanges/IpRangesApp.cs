using System.Text.Json;
using GameSignals.Admin;
using GameSignals.Admin.IpRanges;
using System.Net;
using GameSignals.Functions.IpRanges;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GameSignals.Functions.Tests.IpRanges;

/// <summary>
/// The IP range functions over Core's in-memory stores, as the app composes them; source feeds are served
/// in-process by <see cref="Feeds"/> (URL path to body; a missing path answers 404, which is not retried).
/// </summary>
internal sealed class IpRangesApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public IpRangesApp(params (RangeSourceKind Kind, string Body)[] feeds)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddIpRanges();
        foreach (var (kind, body) in feeds)
        {
            Feeds[$"/{kind}"] = body;
        }

        services.AddOptions<IpRangesOptions>().Configure(options =>
        {
            foreach (var (kind, _) in feeds)
            {
                options.Sources[kind] = new IpRangeSourceOptions { Url = new Uri($"http://feeds.test/{kind}") };
            }
        });
        services.AddHttpClient(IpRangesRefresher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new FeedHandler(Feeds));
        services.AddSingleton<IpRangesUpdater>();
        services.AddSingleton<IRangePublisher>(provider => provider.GetRequiredService<IpRangesUpdater>());
        services.AddAdminHandlers();
        _provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>The app's services, as the host gives them to a request.</summary>
    public IServiceProvider Services => _provider;

    public Dictionary<string, string> Feeds { get; } = new(StringComparer.Ordinal);

    public IBlocklistStore Store => _provider.GetRequiredService<IBlocklistStore>();

    public IRangeSnapshotStore Snapshots => _provider.GetRequiredService<IRangeSnapshotStore>();

    public CurrentRangeTable Table => _provider.GetRequiredService<CurrentRangeTable>();

    public IpRangesUpdater Updater => _provider.GetRequiredService<IpRangesUpdater>();

    public BlocklistFunctions Blocklist => ActivatorUtilities.CreateInstance<BlocklistFunctions>(_provider);

    public IpLookupFunctions Lookup => ActivatorUtilities.CreateInstance<IpLookupFunctions>(_provider);

    public IpRangesRefreshFunction Timer => ActivatorUtilities.CreateInstance<IpRangesRefreshFunction>(_provider);

    /// <summary>The blocklist as comparable text.</summary>
    public async Task<string> SnapshotAsync() => string.Join('\n', (await Store.ListAsync(CancellationToken.None)).Select(entry => entry.ToString()));

    /// <summary>A successful JSON answer: its status and body.</summary>
    public static (int Status, T Body) Json<T>(IActionResult result)
    {
        var json = Assert.IsType<ContentResult>(result);
        Assert.StartsWith("application/json", json.ContentType, StringComparison.Ordinal);
        return (json.StatusCode ?? StatusCodes.Status200OK, JsonSerializer.Deserialize<T>(json.Content!, JsonSerializerOptions.Web)!);
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private sealed class FeedHandler(Dictionary<string, string> feeds) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(feeds.TryGetValue(request.RequestUri!.AbsolutePath, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
    }
}
