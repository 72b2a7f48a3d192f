using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace GameSignals.CosmosCost;

/// <summary>Counts the requests a Blob or Queue client sends, per container or queue (the first path segment), each retry included.</summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Off while the program sets up: only the pipeline's requests are the cost per event.</summary>
    public bool Enabled { get; set; }

    public IEnumerable<(string Container, int Requests)> ByContainer => _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value));

    public int Total => _counts.Values.Sum();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Enabled)
        {
            // Azurite's paths start with the account name: /devstoreaccount1/{container}/...
            var segments = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var container = segments.Length > 1 ? segments[1] : "(account)";
            _counts.AddOrUpdate(container, 1, (_, n) => n + 1);
        }
    }
}
