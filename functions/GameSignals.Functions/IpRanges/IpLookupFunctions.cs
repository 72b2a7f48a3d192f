using System.Net;
using System.Net.Sockets;
using GameSignals.Functions.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.IpRanges;

/// <summary><c>GET /api/ip/{address}</c> (what is known about an address) and <c>POST /api/ipranges/refresh</c> (refresh now).</summary>
public sealed class IpLookupFunctions(CurrentRangeTable table, IpRangesUpdater updater, TimeProvider time)
{
    [Function("IpLookup")]
    public async Task<IActionResult> LookupAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ip/{address}")] HttpRequest request, string address)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ParseAddress(address) is not { } ip)
        {
            return Problems.BadRequest($"'{address}' is not an IPv4 address in dotted decimal or an IPv6 address.",
                new Dictionary<string, string[]> { ["address"] = ["must be an IPv4 or IPv6 address"] });
        }

        // One small pointer read, so that the answer reflects the latest publish on this instance too.
        await updater.CheckForUpdateAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var current = table.Table;
        List<CloudRange> cloud = [];
        List<BlocklistEntry> blocked = [];
        current.GetCloudRanges(ip, cloud);
        current.GetBlocklistMatches(ip, time.GetUtcNow(), blocked);
        var body = new IpLookupResponse(
            ip.ToString(),
            ReferenceEquals(current, RangeTable.Empty) ? null : current.Version,
            current.TryGetAsn(ip, out var asn) ? asn : null,
            cloud,
            [.. blocked.Select(BlocklistEntryResponse.From)]);
        return new JsonResult(body, IpRangesJson.Default.Options);
    }

    [Function("IpRangesRefreshNow")]
    public async Task<IActionResult> RefreshAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ipranges/refresh")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await updater.RefreshNowAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var body = new RefreshResponse(
            result.Outcome.ToString().ToLowerInvariant(),
            result.Version,
            [.. result.Refused.Select(r => new RefusedSourceResponse(RangeTableLoader.SourceName(r.Kind), r.Reason, r.Detail))]);
        return new JsonResult(body, IpRangesJson.Default.Options);
    }

    /// <summary>
    /// An IPv4 address in dotted decimal (four parts) or an IPv6 address without zone; null otherwise.
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone also takes "1" or "0x7f.1" as IPv4.
    /// </summary>
    internal static IPAddress? ParseAddress(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        var dottedQuad = text.Split('.') is { Length: 4 } parts && parts.All(part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit));
        return address.AddressFamily == AddressFamily.InterNetworkV6 || dottedQuad ? address : null;
    }
}
