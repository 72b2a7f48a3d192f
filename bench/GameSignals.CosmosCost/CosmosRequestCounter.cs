using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;

namespace GameSignals.CosmosCost;

/// <summary>Counts the document requests the Cosmos client sends, per container, as reads (point reads, queries) and writes.</summary>
internal sealed class CosmosRequestCounter : RequestHandler
{
    private readonly ConcurrentDictionary<(string Container, bool Write), int> _counts = new();

    /// <summary>Off while the program sets up: only the pipeline's requests are the cost per event.</summary>
    public bool Enabled { get; set; }

    public IEnumerable<(string Container, int Reads, int Writes)> ByContainer =>
        _counts.Keys.Select(k => k.Container).Distinct().Order(StringComparer.Ordinal)
            .Select(c => (c, _counts.GetValueOrDefault((c, false)), _counts.GetValueOrDefault((c, true))));

    public int Total => _counts.Values.Sum();

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Document operations name the document (dbs/{db}/colls/{container}/docs/{id}), except creates and queries, which
        // are posted to the container (the SDK adds /docs later); everything else is metadata.
        var segments = request.RequestUri.OriginalString.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var colls = Array.IndexOf(segments, "colls");
        var document = colls >= 0 && colls + 1 < segments.Length
            && (segments.Skip(colls + 2).FirstOrDefault() == "docs" || (segments.Length == colls + 2 && request.Method == HttpMethod.Post));
        if (Enabled && document)
        {
            var query = string.Equals(request.Headers["x-ms-documentdb-isquery"], "True", StringComparison.OrdinalIgnoreCase);
            var write = request.Method != HttpMethod.Get && !query;
            _counts.AddOrUpdate((segments[colls + 1], write), 1, (_, n) => n + 1);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
