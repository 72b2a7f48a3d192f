using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure;
using GameSignals.Admin.Http;
using GameSignals.Functions.Http;
using GameSignals.Functions.Notifications;
using GameSignals.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Cosmos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GameSignals.Functions.Tests.Http;

/// <summary>A dependency that is down answers an admin caller 503 problem+json with Retry-After, not a 500 or a hang.</summary>
public sealed class DependencyUnavailableMiddlewareTests
{
    [Fact]
    public async Task Listing_rules_while_Cosmos_is_down_answers_503_with_Retry_After()
    {
        var settings = SampleSettings.Values();
        settings["Cosmos:AccountEndpoint"] = $"http://127.0.0.1:{ClosedPort()}/";
        settings["Cosmos:OperationTimeout"] = "00:00:01";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration).BuildServiceProvider();
        var rules = ActivatorUtilities.CreateInstance<RulesFunctions>(provider);
        var (context, http) = HttpInvocation();

        await Middleware(provider.GetRequiredService<StoreRetry>()).Invoke(context, _ => rules.ListAsync(http.Request, "odin"));

        var problem = await Problem(http, StatusCodes.Status503ServiceUnavailable);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        Assert.Contains("unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosmos_throttling_that_outlasts_the_SDK_retries_answers_503_with_the_server_s_retry_after()
    {
        var throttled = new ThrottledException(TimeSpan.FromSeconds(2.2));
        var (context, http) = HttpInvocation();

        await Middleware().Invoke(context, _ => throw throttled);

        await Problem(http, StatusCodes.Status503ServiceUnavailable);
        Assert.Equal("3", http.Response.Headers.RetryAfter.ToString());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(0)]
    [InlineData(408)]
    public async Task A_Storage_or_Search_failure_wrapped_by_the_worker_answers_503(int status)
    {
        var (context, http) = HttpInvocation();

        await Middleware().Invoke(context, _ => throw new AggregateException(new RequestFailedException(status, "service unavailable")));

        await Problem(http, StatusCodes.Status503ServiceUnavailable);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_dependency_s_still_fails_the_invocation()
    {
        var (context, _) = HttpInvocation();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Middleware().Invoke(context, _ => throw new InvalidOperationException("a bug")));
    }

    [Fact]
    public async Task A_function_without_an_HTTP_caller_still_fails_so_its_trigger_retries()
    {
        var context = new TestFunctionContext(new Dictionary<string, object?>());

        await Assert.ThrowsAsync<RequestFailedException>(() => Middleware().Invoke(context, _ => throw new RequestFailedException(503, "down")));
    }

    private static DependencyUnavailableMiddleware Middleware(StoreRetry? retry = null) =>
        new(retry ?? new StoreRetry(classifiers: [new GameSignals.Azure.Pipeline.AzureTransientFailures()]), NullLogger<DependencyUnavailableMiddleware>.Instance);

    /// <summary>An invocation the way the ASP.NET Core integration hands it over: the request's HttpContext in the items.</summary>
    private static (FunctionContext Context, HttpContext Http) HttpInvocation()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var context = new TestFunctionContext(new Dictionary<string, object?>());
        context.Items["HttpRequestContext"] = http;
        return (context, http);
    }

    private static async Task<JsonElement> Problem(HttpContext http, int status)
    {
        Assert.Equal(status, http.Response.StatusCode);
        Assert.StartsWith(Problems.ContentType, http.Response.ContentType, StringComparison.Ordinal);
        http.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(http.Response.Body);
        Assert.Equal(status, document.RootElement.GetProperty("status").GetInt32());
        return document.RootElement.Clone();
    }

    /// <summary>A 429 as the SDK throws it, with the server's retry-after (the SDK sets it only from a response).</summary>
    private sealed class ThrottledException(TimeSpan retryAfter) : CosmosException("Request rate is large.", HttpStatusCode.TooManyRequests, 0, "", 1)
    {
        public override TimeSpan? RetryAfter => retryAfter;
    }

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
