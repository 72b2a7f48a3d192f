using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace GameSignals.Azure.Startup;

/// <summary>A resource the app creates itself when it is missing (a queue, a container, an index): its name and how.</summary>
public sealed record StartupResource(string Name, Func<IServiceProvider, CancellationToken, Task> EnsureAsync);

/// <summary>Options of <see cref="StartupResourcesService"/>'s retries.</summary>
public sealed class StartupResourceRetryOptions
{
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Creates the declared <see cref="StartupResource"/>s in the background, each retried with capped exponential
/// backoff until it exists. Start-up never waits for them and never fails because of them: on a first deployment
/// the app's role assignments can take minutes to propagate (403 meanwhile), and a start-up that failed on that
/// would stop the worker inside the platform's start-up limit. Until a resource exists, what needs it fails and
/// is retried as any transient failure is.
/// </summary>
public sealed partial class StartupResourcesService(
    IEnumerable<StartupResource> resources,
    IServiceProvider services,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<StartupResourceRetryOptions> options,
    ILogger<StartupResourcesService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path: StartAsync returns at the first await.
        await Task.Yield();
        await Task.WhenAll(resources.Select(resource => EnsureAsync(resource, stoppingToken))).ConfigureAwait(false);
    }

    private async Task EnsureAsync(StartupResource resource, CancellationToken stoppingToken)
    {
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null and not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Value.FirstDelay,
                MaxDelay = options.Value.MaxDelay,
                OnRetry = args =>
                {
                    LogNotYet(resource.Name, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds, args.Outcome.Exception!.Message);
                    return default;
                },
            })
            .Build();
        try
        {
            await retry.ExecuteAsync(async token => await resource.EnsureAsync(services, token).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            LogReady(resource.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Start-up resource ready: {Resource}")]
    private partial void LogReady(string resource);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Start-up resource {Resource} could not be created yet (attempt {Attempt}); trying again in {DelaySeconds:F0} s: {Error}")]
    private partial void LogNotYet(string resource, int attempt, double delaySeconds, string error);
}

public static class StartupResourceServiceCollectionExtensions
{
    /// <summary>Declares a resource to create in the background at start-up (see <see cref="StartupResourcesService"/>).</summary>
    public static IServiceCollection AddStartupResource(this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> ensureAsync)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new StartupResource(name, ensureAsync));
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StartupResourceRetryOptions>();
        services.AddHostedService<StartupResourcesService>();
        return services;
    }
}
