using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GameSignals.IpRanges;

public enum IpRangesRefreshOutcome
{
    /// <summary>A new snapshot was written and the pointer moved to it.</summary>
    Published,

    /// <summary>The content equals the current snapshot; nothing written.</summary>
    Unchanged,

    /// <summary>A source had neither an acceptable download nor a last good copy; the current snapshot stays.</summary>
    Refused,

    /// <summary>Another refresh moved the pointer first; this snapshot was not published.</summary>
    Conflict,
}

/// <summary>A download not used, and why (<c>download</c>, <c>oversize</c>, <c>parse</c>, <c>shrink</c>).</summary>
public sealed record RefusedSource(RangeSourceKind Kind, string Reason, string Detail);

public sealed record IpRangesRefreshResult(IpRangesRefreshOutcome Outcome, string? Version, IReadOnlyList<RefusedSource> Refused, RangeParseReport Report);

/// <summary>
/// The timer-driven refresh: downloads every configured source with conditional requests (a 304 reuses the last
/// good copy), refuses a download that is too big, fails to parse or shrank by more than
/// <see cref="IpRangesOptions.MaxShrinkFraction"/> (keeping the last good copy), folds in the blocklist store,
/// and publishes the snapshot by moving the store's pointer under its ETag. One instance per process: it remembers
/// the last good copy of each source.
/// </summary>
public sealed partial class IpRangesRefresher(
    IHttpClientFactory httpClientFactory,
    IOptions<IpRangesOptions> options,
    IRangeSnapshotStore store,
    IBlocklistStore blocklist,
    IpRangesMetrics metrics,
    ILogger<IpRangesRefresher> logger) : IDisposable
{
    public const string HttpClientName = "GameSignals.IpRanges";

    private readonly Dictionary<RangeSourceKind, LastGood> _lastGood = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IpRangesRefreshResult> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await RefreshOnceAsync(cancellationToken).ConfigureAwait(false);
            metrics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(result.Outcome)));
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage failed (pointer, snapshot write, blocklist): the published snapshot stays, and the caller sees the exception.
            metrics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogFailed(logger, e.Message, e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IpRangesRefreshResult> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var pointer = await store.GetPointerAsync(cancellationToken).ConfigureAwait(false);
        RangeTable? published = null;
        var sources = new RangeSources();
        var report = new RangeParseReport();
        var refused = new List<RefusedSource>();
        var complete = true;
        foreach (var (kind, source) in settings.Sources.Where(pair => pair.Value.Url is not null).OrderBy(pair => pair.Key))
        {
            var name = RangeTableLoader.SourceName(kind);
            var download = await DownloadAsync(kind, source, cancellationToken).ConfigureAwait(false);
            string? refusal = download.Failure;
            string detail = download.Detail;
            if (download.Content is { } content)
            {
                var parsed = new RangeSources();
                var trialReport = new RangeParseReport();
                RangeTableLoader.Parse(kind, content, name, parsed, trialReport);
                var count = Count(parsed);
                int? baseline;
                if (_lastGood.TryGetValue(kind, out var previous))
                {
                    baseline = previous.Count;
                }
                else
                {
                    published ??= await LoadPublishedAsync(pointer, cancellationToken).ConfigureAwait(false);
                    baseline = PublishedCount(published, kind);
                }

                if (trialReport.FailedSources.Count > 0)
                {
                    var failure = trialReport.Issues[^1];
                    (refusal, detail) = ("parse", $"line {failure.Line}: {failure.Message}");
                }
                else if (baseline is { } before && count < before * (1 - settings.MaxShrinkFraction))
                {
                    (refusal, detail) = ("shrink", $"{count} entries where the last good copy had {before}");
                }
                else
                {
                    _lastGood[kind] = new LastGood(parsed, trialReport, count, download.ETag, download.LastModified);
                    var badRows = trialReport.BadRows(name);
                    LogAccepted(logger, name, count, badRows);
                    metrics.BadRows.Add(badRows, new KeyValuePair<string, object?>("source", name));
                }
            }

            if (refusal is not null)
            {
                refused.Add(new RefusedSource(kind, refusal, detail));
                metrics.Refused.Add(1, new("source", name), new("reason", refusal));
                LogRefused(logger, name, refusal, detail, _lastGood.ContainsKey(kind));
            }

            if (_lastGood.TryGetValue(kind, out var good))
            {
                good.Append(sources, report);
            }
            else
            {
                complete = false;
            }
        }

        if (!complete)
        {
            return new IpRangesRefreshResult(IpRangesRefreshOutcome.Refused, pointer?.Version, refused, report);
        }

        var operatorEntries = await blocklist.ListAsync(cancellationToken).ConfigureAwait(false);
        sources.Blocklist.AddRange(operatorEntries);
        var snapshot = RangeSnapshot.Create(RangeTable.Build(sources));
        if (snapshot.Version == pointer?.Version)
        {
            return new IpRangesRefreshResult(IpRangesRefreshOutcome.Unchanged, snapshot.Version, refused, report);
        }

        var blobName = $"{settings.BlobPrefix}{snapshot.Version}.bin";
        await store.WriteSnapshotAsync(blobName, snapshot.Content, cancellationToken).ConfigureAwait(false);
        if (!await store.TryUpdatePointerAsync(snapshot.Version, blobName, pointer?.ETag, cancellationToken).ConfigureAwait(false))
        {
            metrics.Conflicts.Add(1);
            LogConflict(logger, snapshot.Version);
            return new IpRangesRefreshResult(IpRangesRefreshOutcome.Conflict, snapshot.Version, refused, report);
        }

        metrics.Published.Add(1);
        LogPublished(logger, snapshot.Version, snapshot.Content.Length, sources.Cloud.Count, sources.Asn.Count, sources.Blocklist.Count);
        return new IpRangesRefreshResult(IpRangesRefreshOutcome.Published, snapshot.Version, refused, report);
    }

    private async Task<Download> DownloadAsync(RangeSourceKind kind, IpRangeSourceOptions source, CancellationToken cancellationToken)
    {
        _lastGood.TryGetValue(kind, out var previous);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(source.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
        if (previous?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var parsedETag))
        {
            request.Headers.IfNoneMatch.Add(parsedETag);
        }

        if (previous?.LastModified is { } lastModified)
        {
            request.Headers.IfModifiedSince = lastModified;
        }

        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified && previous is not null)
            {
                return new Download(null, null, "not modified", previous.ETag, previous.LastModified);
            }

            if (!response.IsSuccessStatusCode)
            {
                return Download.Failed("download", $"HTTP {(int)response.StatusCode} from {source.Url}");
            }

            if (response.Content.Headers.ContentLength > source.MaxBytes)
            {
                return Download.Failed("oversize", $"{response.Content.Headers.ContentLength} bytes, the limit is {source.MaxBytes}");
            }

            var body = await ReadLimitedAsync(response.Content, source.MaxBytes, timeout.Token).ConfigureAwait(false);
            return body is null
                ? Download.Failed("oversize", $"more than {source.MaxBytes} bytes")
                : new Download(body, null, $"{body.Length} bytes", response.Headers.ETag?.ToString(), response.Content.Headers.LastModified);
        }
        catch (HttpRequestException e)
        {
            return Download.Failed("download", e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Download.Failed("download", $"timed out after {source.Timeout}");
        }
    }

    /// <summary>The body, or null when it exceeds the limit (checked while reading: Content-Length may be absent).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }

                body.Write(buffer, 0, read);
            }

            return body.ToArray();
        }
    }

    private async Task<RangeTable?> LoadPublishedAsync(RangeSnapshotPointer? pointer, CancellationToken cancellationToken)
    {
        if (pointer is null || await store.ReadSnapshotAsync(pointer.BlobName, cancellationToken).ConfigureAwait(false) is not { } content)
        {
            return null;
        }

        try
        {
            return RangeSnapshot.Load(content);
        }
        catch (InvalidDataException e)
        {
            LogUnreadableSnapshot(logger, pointer.BlobName, e);
            return null;
        }
    }

    /// <summary>After a restart the published snapshot is the baseline for the shrink check.</summary>
    private static int? PublishedCount(RangeTable? published, RangeSourceKind kind) => published is null ? null : kind switch
    {
        RangeSourceKind.Aws => published.CountCloudEntries("aws"),
        RangeSourceKind.Gcp => published.CountCloudEntries("gcp"),
        RangeSourceKind.Azure => published.CountCloudEntries("azure"),
        RangeSourceKind.Ip2Asn => published.AsnRowCount,
        _ => null, // the published blocklist mixes the file with the store's entries
    };

    private static string OutcomeName(IpRangesRefreshOutcome outcome) => outcome switch
    {
        IpRangesRefreshOutcome.Published => "published",
        IpRangesRefreshOutcome.Unchanged => "unchanged",
        IpRangesRefreshOutcome.Refused => "refused",
        _ => "conflict",
    };

    private static int Count(RangeSources parsed) => parsed.Cloud.Count + parsed.Asn.Count + parsed.Blocklist.Count;

    public void Dispose() => _gate.Dispose();

    private sealed record Download(byte[]? Content, string? Failure, string Detail, string? ETag, DateTimeOffset? LastModified)
    {
        public static Download Failed(string reason, string detail) => new(null, reason, detail, null, null);
    }

    private sealed record LastGood(RangeSources Parsed, RangeParseReport Report, int Count, string? ETag, DateTimeOffset? LastModified)
    {
        public void Append(RangeSources into, RangeParseReport report)
        {
            into.Cloud.AddRange(Parsed.Cloud);
            into.Asn.AddRange(Parsed.Asn);
            into.Blocklist.AddRange(Parsed.Blocklist);
            report.Merge(Report);
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "IP range source {Source}: {Count} entries accepted, {BadRows} bad rows")]
    private static partial void LogAccepted(ILogger logger, string source, int count, int badRows);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "IP range source {Source} refused ({Reason}: {Detail}); last good copy kept: {HasLastGood}")]
    private static partial void LogRefused(ILogger logger, string source, string reason, string detail, bool hasLastGood);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "IP range snapshot {Version} not published: the pointer moved meanwhile")]
    private static partial void LogConflict(ILogger logger, string version);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "IP range snapshot {Version} published ({Bytes} bytes): {Cloud} cloud prefixes, {Asn} ASN rows, {Blocklist} blocklist entries")]
    private static partial void LogPublished(ILogger logger, string version, int bytes, int cloud, int asn, int blocklist);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "The published IP range snapshot {BlobName} is unreadable")]
    private static partial void LogUnreadableSnapshot(ILogger logger, string blobName, Exception exception);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "IP ranges refresh failed: {Reason}; the published snapshot stays")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
