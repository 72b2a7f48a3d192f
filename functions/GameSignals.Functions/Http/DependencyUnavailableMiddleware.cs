using System.Globalization;
using GameSignals.Admin.Http;
using GameSignals.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace GameSignals.Functions.Http;

/// <summary>
/// Answers an admin caller 503 problem+json with <c>Retry-After</c> when a dependency (Cosmos DB, Storage, AI
/// Search) is down, throttling after the SDK's own retries, or timed out: the failures <see cref="StoreRetry"/>
/// treats as transient. Anything else still fails the invocation (500), and non-HTTP functions are untouched.
/// </summary>
internal sealed partial class DependencyUnavailableMiddleware(StoreRetry transient, ILogger<DependencyUnavailableMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>When the service gives no retry-after of its own.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.GetHttpContext() is { Response.HasStarted: false } http && Classify(ex) is { } failure)
        {
            LogUnavailable(http.Request.Method, http.Request.Path.Value ?? "", failure.Failure, ex.Message);
            await WriteAsync(http, failure.Failure, failure.RetryAfter ?? DefaultRetryAfter).ConfigureAwait(false);
        }
    }

    /// <summary>The transient failure in the exception or any exception it wraps (the worker and SDKs wrap some).</summary>
    private (TransientFailure Failure, TimeSpan? RetryAfter)? Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (transient.Classify(current) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static Task WriteAsync(HttpContext http, TransientFailure failure, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "A service this request needs is unavailable.",
            Detail = $"A dependency of this request is unavailable ({failure}); nothing was changed by the failed call. Try again in {seconds} s.",
        };
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return http.Response.WriteAsJsonAsync(problem, options: null, contentType: Problems.ContentType);
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: a dependency failed transiently ({Failure}): {Error}")]
    private partial void LogUnavailable(string method, string path, TransientFailure failure, string error);
}
