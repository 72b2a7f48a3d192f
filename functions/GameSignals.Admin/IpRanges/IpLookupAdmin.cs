using System.Net;
using System.Net.Sockets;
using GameSignals.Admin.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.IpRanges;

/// <summary>What is known about an address (ASN and country, cloud ranges, blocklist entries), and a refresh now.</summary>
public sealed class IpLookupAdmin(IRangePublisher publisher, TimeProvider time)
{
    public async Task<IActionResult> LookupAsync(HttpRequest request, string address)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ParseAddress(address) is not { } ip)
        {
            return Problems.Invalid("address", "must be an IPv4 or IPv6 address", $"'{address}' is not an IPv4 address in dotted decimal or an IPv6 address.");
        }

        // One small pointer read, so that the answer reflects the latest publish on this instance too.
        await publisher.CheckForUpdateAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var current = publisher.Table;
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
        return AdminJson.Write(body, IpRangesJson.Default.IpLookupResponse);
    }

    public async Task<IActionResult> RefreshAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await publisher.RefreshNowAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        var body = new RefreshResponse(
            result.Outcome.ToString().ToLowerInvariant(),
            result.Version,
            [.. result.Refused.Select(r => new RefusedSourceResponse(RangeTableLoader.SourceName(r.Kind), r.Reason, r.Detail))]);
        return AdminJson.Write(body, IpRangesJson.Default.RefreshResponse);
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
