using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace GameSignals.Integration.Tests.Pipeline;

/// <summary>
/// TEST-ONLY: an Azure.Core policy, next to the transport (under the SDK's retries), that fails a seeded share of Storage
/// requests: 503 and 500 answered without sending, and requests sent and applied whose answer never comes
/// (the transport's status-0 failure, as a connection lost after sending gives).
/// </summary>
internal sealed class StorageFaults(double rate, int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public bool Enabled { get; set; }

    public int Requests { get; private set; }
    public int Unavailable { get; private set; }
    public int ServerErrors { get; private set; }
    public int AppliedThenLost { get; private set; }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (Enabled ? NextFault() : 0)
        {
            case 1:
                message.Response = new FaultResponse(503, "Server Busy");
                return;
            case 2:
                message.Response = new FaultResponse(500, "Internal Server Error");
                return;
            case 3:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                throw new RequestFailedException(0, "The connection was lost after the request was sent (injected).", new TimeoutException());
            default:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
        }
    }

    private int NextFault()
    {
        lock (_lock)
        {
            Requests++;
            var roll = _random.NextDouble();
            if (roll >= rate)
            {
                return 0;
            }

            var kind = 1 + (int)(roll / rate * 3);
            _ = kind switch
            {
                1 => ++Unavailable,
                2 => ++ServerErrors,
                _ => ++AppliedThenLost,
            };
            return kind;
        }
    }

    /// <summary>An error response with no body, as a gateway in front of Storage can give.</summary>
    private sealed class FaultResponse(int status, string reason) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => reason;

        // The transport stage marks errors, and this answer never reaches it.
        public override bool IsError => true;

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = "";

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
