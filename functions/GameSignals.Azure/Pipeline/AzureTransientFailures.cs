using System.Net;
using Azure;
using GameSignals.Pipeline;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Azure.Pipeline;

/// <summary>
/// The Cosmos DB and Azure SDK (Storage, AI Search) failures that <see cref="StoreRetry"/> tries again: the
/// status codes their own guidance lists as transient. They come here after the SDKs' built-in retries
/// (Cosmos: 429 nine times; Azure.Core: four times) have given up, so this is the second, outer line.
/// </summary>
internal sealed class AzureTransientFailures : ITransientFailureClassifier
{
    public (TransientFailure Failure, TimeSpan? RetryAfter)? Classify(Exception exception) => exception switch
    {
        CosmosOperationCanceledException => (TransientFailure.Timeout, null),
        CosmosException { StatusCode: HttpStatusCode.TooManyRequests } cosmos => (TransientFailure.Throttled, cosmos.RetryAfter),
        CosmosException { StatusCode: HttpStatusCode.RequestTimeout } => (TransientFailure.Timeout, null),
        CosmosException { StatusCode: HttpStatusCode.ServiceUnavailable or HttpStatusCode.Gone or (HttpStatusCode)449 } => (TransientFailure.Unavailable, null),
        RequestFailedException { Status: 429 } => (TransientFailure.Throttled, null),
        RequestFailedException { Status: 408 or 504 } => (TransientFailure.Timeout, null),
        RequestFailedException { Status: 0 or 500 or 502 or 503 } => (TransientFailure.Unavailable, null),
        HttpRequestException => (TransientFailure.Unavailable, null),
        // Azure.Core's network timeout: a cancellation caused by a timeout, not by the caller.
        OperationCanceledException { InnerException: TimeoutException } => (TransientFailure.Timeout, null),
        _ => null,
    };
}
