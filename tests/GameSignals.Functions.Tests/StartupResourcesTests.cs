using Azure;
using GameSignals.Azure.Startup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace GameSignals.Functions.Tests;

/// <summary>
/// Queues, containers and the search index are created in the background at start-up: a resource that cannot be
/// created yet (403 while roles propagate) neither blocks nor fails the host's start, and is tried again until it exists.
/// </summary>
public sealed class StartupResourcesTests
{
    [Fact]
    public void The_app_declares_the_queues_it_listens_on_the_Cosmos_containers_and_the_search_index()
    {
        var settings = SampleSettings.Values();
        settings["Search:endpoint"] = "https://search.example.net";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration).BuildServiceProvider();

        var names = provider.GetServices<StartupResource>().Select(r => r.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["AI Search index profiles", "Cosmos database and containers", "Storage queue push-requests", "Storage queue push-requests-poison"], names);
    }

    [Fact]
    public async Task Start_up_does_not_wait_for_a_resource()
    {
        var created = new TaskCompletionSource();
        using var provider = Compose(new StartupResource("slow", async (_, token) => await created.Task.WaitAsync(token)), out _);
        var service = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<StartupResourcesService>().Single();

        await service.StartAsync(CancellationToken.None);

        Assert.False(created.Task.IsCompleted);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_resource_refused_with_403_is_tried_again_until_it_exists_and_each_refusal_is_logged()
    {
        var attempts = 0;
        var ready = new TaskCompletionSource();
        var resource = new StartupResource("AI Search index profiles", (_, _) =>
        {
            if (++attempts < 3)
            {
                throw new RequestFailedException(403, "The client does not have authorization to perform action 'indexes/write'.");
            }

            ready.SetResult();
            return Task.CompletedTask;
        });
        using var provider = Compose(resource, out var logs);
        var service = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<StartupResourcesService>().Single();

        await service.StartAsync(CancellationToken.None);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await (service.ExecuteTask ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, attempts);
        var refusals = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, refusals.Count);
        Assert.All(refusals, r => Assert.Contains("AI Search index profiles", r.Message, StringComparison.Ordinal));
        Assert.Contains("indexes/write", refusals[0].Message, StringComparison.Ordinal);
        Assert.Contains(logs.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("ready", StringComparison.Ordinal));
    }

    private static ServiceProvider Compose(StartupResource resource, out FakeLogCollector logs)
    {
        var services = new ServiceCollection().AddFakeLogging();
        services.AddStartupResource(resource.Name, resource.EnsureAsync);
        services.Configure<StartupResourceRetryOptions>(o => (o.FirstDelay, o.MaxDelay) = (TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)));
        var provider = services.BuildServiceProvider();
        logs = provider.GetFakeLogCollector();
        return provider;
    }
}
