using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GameSignals.Admin.OpenApi;
using GameSignals.Cli.LiveConsole;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Cli.Tests.LiveConsole;

/// <summary>The local console host over HTTP, as a script or the console's browser calls it.</summary>
public sealed class ConsoleHostTests
{
    [Fact]
    public async Task It_serves_the_OpenAPI_document_and_the_API_under_both_prefixes_as_the_local_operator()
    {
        await using var app = await ConsoleCommand.StartAsync(RepositoryFiles.Examples, [Path.Combine(RepositoryFiles.Examples, "events.jsonl")], 0, new CliConsole(TextWriter.Null, TextWriter.Null, false), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        Assert.Equal(AdminOpenApi.Write().Content, await http.GetStringAsync("/api/openapi.json"));

        // A forged name header changes nothing: the local host's caller is its operator.
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/console/api/blocklist/ring-1") { Content = JsonContent.Create(new { cidr = "203.0.113.0/24", reason = "chargeback ring" }) };
        put.Headers.Add("x-ms-client-principal-name", "mallory@example.com");
        using var created = await http.SendAsync(put);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var entry = JsonDocument.Parse(await http.GetStringAsync("/api/blocklist/ring-1"));
        Assert.Equal("local", entry.RootElement.GetProperty("addedBy").GetString());
    }

    [Fact]
    public async Task A_players_last_replayed_events_are_served_as_CloudEvents_oldest_first_and_a_stranger_has_an_empty_list()
    {
        await using var app = await ConsoleCommand.StartAsync(RepositoryFiles.Examples, [Path.Combine(RepositoryFiles.Examples, "events.jsonl")], 0, new CliConsole(TextWriter.Null, TextWriter.Null, false), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        using var recent = JsonDocument.Parse(await http.GetStringAsync("/api/games/odin/players/u1-00116/events?limit=3"));
        var events = recent.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(("1.0", "u1-00116"), (e.GetProperty("specversion").GetString(), e.GetProperty("userid").GetString())));
        var times = events.Select(e => e.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        var sent = File.ReadLines(Path.Combine(RepositoryFiles.Examples, "events.jsonl")).Where(l => l.Contains("\"userid\":\"u1-00116\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("time").GetDateTimeOffset()).Order().ToList();
        Assert.Equal(sent[^3..], times);

        using var none = JsonDocument.Parse(await http.GetStringAsync("/api/console/api/games/odin/players/nobody-here/events"));
        Assert.Equal(0, none.RootElement.GetProperty("events").GetArrayLength());
        using var refused = await http.GetAsync("/api/games/odin/players/u1-00116/events?limit=101");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
