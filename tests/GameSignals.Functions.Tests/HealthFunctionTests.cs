using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using GameSignals.Azure.Cosmos;
using GameSignals.Admin.Health;
using GameSignals.Functions.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Tests;

public sealed class HealthFunctionTests
{
    private const string Secret = "https://secret-account.documents.azure.com";

    [Fact]
    public async Task Answers_200_and_every_dependency_up_when_all_answer()
    {
        var result = await RunAsync(services => services.AddHealthChecks()
            .AddCheck("cosmos", () => HealthCheckResult.Healthy())
            .AddCheck("blobs", () => HealthCheckResult.Healthy()));

        Assert.Equal(StatusCodes.Status200OK, result.StatusCode);
        var body = result.Value;
        Assert.Equal("healthy", body.Status);
        Assert.Equal(new Dictionary<string, string> { ["cosmos"] = "up", ["blobs"] = "up" }, body.Dependencies);
    }

    [Fact]
    public async Task Answers_503_naming_the_failed_dependency_without_its_error()
    {
        var result = await RunAsync(services => services.AddHealthChecks()
            .AddCheck("cosmos", () => throw new InvalidOperationException($"cannot reach {Secret}"))
            .AddCheck("blobs", () => HealthCheckResult.Healthy()));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, result.StatusCode);
        var body = result.Value;
        Assert.Equal(("unhealthy", "down", "up"), (body.Status, body.Dependencies["cosmos"], body.Dependencies["blobs"]));
        Assert.DoesNotContain("secret", JsonSerializer.Serialize(body), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_dependency_that_does_not_answer_in_time_is_down()
    {
        var result = await RunAsync(services => services.AddHealthChecks()
            .AddAsyncCheck("queues", async ct => { await Task.Delay(Timeout.Infinite, ct); return HealthCheckResult.Healthy(); }, timeout: TimeSpan.FromMilliseconds(50)));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, result.StatusCode);
        Assert.Equal("down", result.Value.Dependencies["queues"]);
    }

    [Fact]
    public async Task The_app_reports_cosmos_blobs_and_queues_and_none_answers_on_a_closed_port()
    {
        var result = await RunAsync(services =>
        {
            var options = new CosmosOptions { AccountEndpoint = new Uri("https://127.0.0.1:9/"), Key = "a2V5", IsLocalEmulator = true };
            services.AddSingleton(Options.Create(options));
            services.AddSingleton(CosmosSetup.CreateClient(options, new global::Azure.Identity.DefaultAzureCredential()));
            services.AddSingleton(new BlobServiceClient("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;"));
            services.AddSingleton(new QueueServiceClient("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;"));
            services.AddDependencyHealthChecks(new ConfigurationBuilder().Build());
        });

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, result.StatusCode);
        var body = result.Value;
        Assert.Equal(new Dictionary<string, string> { ["cosmos"] = "down", ["blobs"] = "down", ["queues"] = "down" }, body.Dependencies);
        Assert.DoesNotContain("127.0.0.1", JsonSerializer.Serialize(body), StringComparison.Ordinal);
    }

    private static async Task<(int StatusCode, HealthResponse Value)> RunAsync(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection().AddLogging();
        configure(services);
        await using var provider = services.BuildServiceProvider();
        var function = new HealthFunction(new HealthAdmin(provider.GetRequiredService<HealthCheckService>()));
        var context = new DefaultHttpContext();
        var result = Assert.IsType<ContentResult>(await function.RunAsync(context.Request));
        Assert.Equal("no-store", context.Response.Headers.CacheControl);
        return (result.StatusCode!.Value, JsonSerializer.Deserialize<HealthResponse>(result.Content!, JsonSerializerOptions.Web)!);
    }
}
