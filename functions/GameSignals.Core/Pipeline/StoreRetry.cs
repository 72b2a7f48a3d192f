using System.ComponentModel.DataAnnotations;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace GameSignals.Pipeline;

/// <summary>How <see cref="StoreRetry"/> retries: bounded, so a store that stays down fails the batch within seconds.</summary>
public sealed class StoreRetryOptions
{
    /// <summary>Attempts of one unit of work, the first included.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first backoff; it doubles (with jitter) per attempt. A server's retry-after wins when it gives one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No wait is longer than this, retry-after included.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Retries one idempotent unit of work (one event through a stage, one profile write) when a store or outbound
/// client fails transiently, inside the invocation (DESIGN: "retried inside the invocation with bounded
/// backoff"). The unit is re-run from its start, which is safe because every effect in it is idempotent: an
/// ambiguous timeout that did apply a write is absorbed the same way a redelivered batch is. Anything else, or
/// a failure that outlasts the attempts, throws out of the batch and the host's retry policy redelivers it.
/// </summary>
public sealed partial class StoreRetry
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ITransientFailureClassifier[] _classifiers;
    private readonly PipelineMetrics? _metrics;
    private readonly ILogger _logger;

    /// <param name="options">Defaults when null (tests).</param>
    /// <param name="classifiers">SDK-specific transient failures, besides <see cref="TransientStoreException"/> and <see cref="TimeoutException"/>.</param>
    public StoreRetry(
        IOptions<StoreRetryOptions>? options = null,
        IEnumerable<ITransientFailureClassifier>? classifiers = null,
        PipelineMetrics? metrics = null,
        TimeProvider? time = null,
        ILogger<StoreRetry>? logger = null)
    {
        var settings = options?.Value ?? new StoreRetryOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxAttempts, 1);
        _classifiers = [.. classifiers ?? []];
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } exception && Classify(exception) is not null),
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && Classify(exception) is { RetryAfter: { } after }
                        ? (TimeSpan?)(after < settings.MaxDelay ? after : settings.MaxDelay)
                        : null),
                OnRetry = args =>
                {
                    var failure = Classify(args.Outcome.Exception!)!.Value.Failure;
                    _metrics?.StoreRetries.Add(1, new KeyValuePair<string, object?>("failure", failure.ToString()));
                    // AttemptNumber counts from 0 for the attempt that failed; the log names the next one, from 1.
                    LogRetry(failure, args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception!.Message);
                    return default;
                },
            })
            .Build();
    }

    public async ValueTask ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask> work, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await ExecuteAsync(
            static async (s, ct) =>
            {
                await s.work(s.state, ct).ConfigureAwait(false);
                return true;
            },
            (work, state),
            cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// The first attempt runs without the pipeline: most units finish at once (state in memory, a cache hit), and the
    /// pipeline's own bookkeeping was 6% of a replay's samples (dotnet-trace). A transient failure of that attempt is handed to
    /// the pipeline as its own first outcome, so the attempts, backoff, logs and metrics are those of the pipeline alone.
    /// </remarks>
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> work, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ValueTask<TResult> first;
        try
        {
            first = work(state, cancellationToken);
        }
        catch (Exception ex) when (Classify(ex) is not null)
        {
            return RetryAsync(work, state, ExceptionDispatchInfo.Capture(ex), cancellationToken);
        }

        return first.IsCompletedSuccessfully ? first : AwaitFirstAsync(first, work, state, cancellationToken);
    }

    private async ValueTask<TResult> AwaitFirstAsync<TState, TResult>(
        ValueTask<TResult> first, Func<TState, CancellationToken, ValueTask<TResult>> work, TState state, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo failure;
        try
        {
            return await first.ConfigureAwait(false);
        }
        catch (Exception ex) when (Classify(ex) is not null)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        return await RetryAsync(work, state, failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipeline, whose first attempt is the failure already seen; later attempts run the work again.</summary>
    private ValueTask<TResult> RetryAsync<TState, TResult>(
        Func<TState, CancellationToken, ValueTask<TResult>> work, TState state, ExceptionDispatchInfo failure, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static (s, ct) =>
            {
                if (s.Failure.Pending)
                {
                    s.Failure.Pending = false;
                    s.Failure.Info.Throw();
                }

                return s.work(s.state, ct);
            },
            (work, state, Failure: new FirstFailure(failure)),
            cancellationToken);

    private sealed class FirstFailure(ExceptionDispatchInfo info)
    {
        public ExceptionDispatchInfo Info { get; } = info;

        public bool Pending { get; set; } = true;
    }

    /// <summary>The failure's kind when <paramref name="exception"/> is transient; null when retrying cannot help.</summary>
    public (TransientFailure Failure, TimeSpan? RetryAfter)? Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case TransientStoreException transient:
                return (transient.Failure, transient.RetryAfter);
            case TimeoutException:
                return (TransientFailure.Timeout, null);
        }

        foreach (var classifier in _classifiers)
        {
            if (classifier.Classify(exception) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "A store failed transiently ({Failure}); attempt {NextAttempt} in {DelayMs:F0} ms: {Error}")]
    private partial void LogRetry(TransientFailure failure, int nextAttempt, double delayMs, string error);
}


public static class StoreRetryServiceCollectionExtensions
{
    /// <summary>Registers <see cref="StoreRetry"/> once, for every stage and the pipeline, with <see cref="StoreRetryOptions"/>.</summary>
    public static IServiceCollection AddStoreRetry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StoreRetryOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<StoreRetry>();
        return services;
    }
}
