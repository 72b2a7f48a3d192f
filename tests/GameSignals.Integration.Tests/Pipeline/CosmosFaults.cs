using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>
/// TEST-ONLY: a Cosmos client request handler that fails a seeded share of the document operations the way
/// Cosmos DB does: 429 with a retry-after, 503 and 408 answered without the request reaching the server, and
/// 408 answered for a write that the server did apply (the caller cannot tell it from a lost request).
/// With an outage armed, every document operation after the next N fails with 503 until it is ended.
/// </summary>
internal sealed class CosmosFaults(double rate, int seed) : RequestHandler
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private int _outageIn = -1;
    private bool _outage;

    /// <summary>Off while the test sets up and reads back.</summary>
    public bool Enabled { get; set; }

    public int Requests { get; private set; }
    public int Throttled { get; private set; }
    public int Unavailable { get; private set; }
    public int TimedOut { get; private set; }
    public int AppliedThenTimedOut { get; private set; }
    public int OutageFailures { get; private set; }

    /// <summary>After <paramref name="requests"/> more document operations, every one fails until <see cref="EndOutage"/>.</summary>
    public void ArmOutage(int requests)
    {
        lock (_lock)
        {
            _outageIn = requests;
        }
    }

    public void EndOutage()
    {
        lock (_lock)
        {
            _outageIn = -1;
            _outage = false;
        }
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enabled || !request.RequestUri.OriginalString.Contains("/docs", StringComparison.Ordinal))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var fault = NextFault(IsWrite(request));
        switch (fault)
        {
            case Fault.Throttled:
                var throttled = new ResponseMessage(HttpStatusCode.TooManyRequests, request, "Request rate is large (injected).");
                throttled.Headers["x-ms-retry-after-ms"] = "20";
                return throttled;
            case Fault.Unavailable:
                return new ResponseMessage(HttpStatusCode.ServiceUnavailable, request, "Service unavailable (injected).");
            case Fault.TimedOut:
                return new ResponseMessage(HttpStatusCode.RequestTimeout, request, "Request timed out (injected).");
            case Fault.AppliedThenTimedOut:
                using (var applied = await base.SendAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    return new ResponseMessage(HttpStatusCode.RequestTimeout, request,
                        string.Create(CultureInfo.InvariantCulture, $"Request timed out after the server answered {(int)applied.StatusCode} (injected)."));
                }

            default:
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private Fault NextFault(bool write)
    {
        lock (_lock)
        {
            Requests++;
            if (_outageIn == 0)
            {
                _outage = true;
            }

            if (_outageIn >= 0)
            {
                _outageIn--;
            }

            if (_outage)
            {
                OutageFailures++;
                return Fault.Unavailable;
            }

            // Four kinds in equal shares of the rate; a read drawn for "applied then timed out" just goes through.
            var roll = _random.NextDouble();
            if (roll >= rate)
            {
                return Fault.None;
            }

            switch ((int)(roll / rate * 4))
            {
                case 0:
                    Throttled++;
                    return Fault.Throttled;
                case 1:
                    Unavailable++;
                    return Fault.Unavailable;
                case 2:
                    TimedOut++;
                    return Fault.TimedOut;
                default:
                    if (!write)
                    {
                        return Fault.None;
                    }

                    AppliedThenTimedOut++;
                    return Fault.AppliedThenTimedOut;
            }
        }
    }

    /// <summary>A document write: a create, upsert, replace, patch or delete, not a query (also a POST).</summary>
    private static bool IsWrite(RequestMessage request) =>
        (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch || request.Method == HttpMethod.Delete)
        && request.Headers["x-ms-documentdb-isquery"] is null
        && request.Headers["x-ms-cosmos-is-query-plan-request"] is null;

    private enum Fault
    {
        None,
        Throttled,
        Unavailable,
        TimedOut,
        AppliedThenTimedOut,
    }
}
