using System.Net;
using Azure;
using GameSignals.Azure.Pipeline;
using GameSignals.Pipeline;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>Which SDK failures the store retry tries again, and as what; no service needed.</summary>
public sealed class AzureTransientFailuresTests
{
    private readonly AzureTransientFailures _failures = new();

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, TransientFailure.Timeout)]
    [InlineData(HttpStatusCode.ServiceUnavailable, TransientFailure.Unavailable)]
    [InlineData(HttpStatusCode.Gone, TransientFailure.Unavailable)]
    [InlineData((HttpStatusCode)449, TransientFailure.Unavailable)]
    public void A_transient_Cosmos_status_is_retried_as_its_kind(HttpStatusCode status, TransientFailure kind)
    {
        var found = _failures.Classify(Cosmos(status));

        Assert.Equal((kind, (TimeSpan?)null), found);
    }

    [Fact]
    public void A_throttled_Cosmos_request_carries_the_server_retry_after()
    {
        Assert.Equal((TransientFailure.Throttled, TimeSpan.FromMilliseconds(250)), _failures.Classify(new ThrottledException(TimeSpan.FromMilliseconds(250))));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.Forbidden)]
    public void A_Cosmos_answer_that_a_retry_cannot_change_is_not_transient(HttpStatusCode status) =>
        Assert.Null(_failures.Classify(Cosmos(status)));

    [Theory]
    [InlineData(0, TransientFailure.Unavailable)]
    [InlineData(408, TransientFailure.Timeout)]
    [InlineData(429, TransientFailure.Throttled)]
    [InlineData(500, TransientFailure.Unavailable)]
    [InlineData(502, TransientFailure.Unavailable)]
    [InlineData(503, TransientFailure.Unavailable)]
    [InlineData(504, TransientFailure.Timeout)]
    public void A_transient_Storage_or_Search_status_is_retried_as_its_kind(int status, TransientFailure kind) =>
        Assert.Equal((kind, (TimeSpan?)null), _failures.Classify(new RequestFailedException(status, "failed")));

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    public void A_Storage_or_Search_answer_that_a_retry_cannot_change_is_not_transient(int status) =>
        Assert.Null(_failures.Classify(new RequestFailedException(status, "failed")));

    [Fact]
    public void A_lost_connection_is_transient_and_a_programming_error_is_not()
    {
        Assert.Equal((TransientFailure.Unavailable, (TimeSpan?)null), _failures.Classify(new HttpRequestException("connection reset")));
        Assert.Null(_failures.Classify(new InvalidOperationException("bug")));
        Assert.Null(_failures.Classify(new OperationCanceledException()));
    }

    /// <summary>The exception a stream operation's <see cref="ResponseMessage.EnsureSuccessStatusCode"/> raises for an error answer.</summary>
    private static CosmosException Cosmos(HttpStatusCode status)
    {
        using var response = new ResponseMessage(status, requestMessage: null, errorMessage: "failed");
        return Assert.Throws<CosmosException>(() => response.EnsureSuccessStatusCode());
    }

    /// <summary>
    /// A 429 with the server's retry-after, as the SDK raises it after its own retries. (One built from a bare
    /// <see cref="ResponseMessage"/> carries no headers, so its retry-after cannot be set from outside the SDK.)
    /// </summary>
    private sealed class ThrottledException(TimeSpan retryAfter) : CosmosException("Request rate is large.", HttpStatusCode.TooManyRequests, 0, "", 1)
    {
        public override TimeSpan? RetryAfter => retryAfter;
    }
}
