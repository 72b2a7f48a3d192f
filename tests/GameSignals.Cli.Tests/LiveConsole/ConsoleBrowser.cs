using GameSignals.Cli.LiveConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GameSignals.Cli.Tests.LiveConsole;

/// <summary>
/// Debian's chromium, driven by Playwright (its own browser download cannot work here), shared by a class's tests;
/// each test starts its own console over the example data, so no test sees another's changes.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// A console over the contract's example stream (or <paramref name="configDirectory"/> and <paramref name="events"/>) on a
    /// free port, and a page of <paramref name="width"/> px.
    /// </summary>
    public async Task<(WebApplication App, IPage Page, string BaseUrl)> OpenAsync(int width = 1280, string? configDirectory = null, string? events = null)
    {
        var app = await ConsoleCommand.StartAsync(
            configDirectory ?? RepositoryFiles.Examples, [events ?? Path.Combine(RepositoryFiles.Examples, "events.jsonl")], 0, new CliConsole(TextWriter.Null, TextWriter.Null, false), CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        return (app, page, address);
    }

    /// <summary>A full-page screenshot under the test output's <c>screenshots/</c> (docs/console/ keeps a copy of each).</summary>
    public static Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }
}
