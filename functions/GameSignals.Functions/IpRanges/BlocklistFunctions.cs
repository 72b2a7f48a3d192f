using GameSignals.Functions.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace GameSignals.Functions.IpRanges;

/// <summary>
/// The operators' blocklist: <c>GET /api/blocklist</c>, <c>GET/PUT/DELETE /api/blocklist/{id}</c>. Entries carry an
/// <c>ETag</c> (the store's version of the entry); PUT and DELETE honour <c>If-Match</c> (and PUT <c>If-None-Match: *</c>)
/// in the store's write itself, so of two writes with the same If-Match one lands and the other is 412.
/// A change is published by a refresh started in the background: lookups see it once that refresh ends and each
/// instance has read the new pointer (within <see cref="IpRangesHostOptions.PointerCheckInterval"/>).
/// </summary>
public sealed class BlocklistFunctions(IBlocklistStore store, IpRangesUpdater updater)
{
    [Function("BlocklistList")]
    public async Task<IActionResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "blocklist")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entries = await store.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return new JsonResult(new BlocklistListResponse([.. entries.Select(BlocklistEntryResponse.From)]), IpRangesJson.Default.Options);
    }

    [Function("BlocklistGet")]
    public async Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "blocklist/{id}")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var stored = await store.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return stored is null ? NotFound(id) : Entry(request, stored, StatusCodes.Status200OK);
    }

    [Function("BlocklistPut")]
    public async Task<IActionResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "blocklist/{id}")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InvalidId(id) is { } invalidId)
        {
            return invalidId;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, IpRangesJson.Default.BlocklistEntryRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var entry = new BlocklistEntry(body!.Cidr, body.Asn, body.Reason ?? "", body.Expires, Caller.NameOf(request), id);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            return Problems.BadRequest(invalid.Message, new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] });
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var ifNoneMatchAny = request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any));
        var (ifMatchGiven, ifMatch) = await IfMatchAsync(request, id, cancellationToken).ConfigureAwait(false);
        if (ifMatchGiven && (ifMatch is null || ifNoneMatchAny))
        {
            return Problems.PreconditionFailed(ifMatch is null ? NoMatch : "If-Match and If-None-Match: * cannot both hold.");
        }

        var precondition = ifNoneMatchAny ? BlocklistPrecondition.Absent
            : ifMatch is null ? BlocklistPrecondition.None
            : BlocklistPrecondition.Matching(ifMatch);
        var (status, saved) = await store.UpsertAsync(entry, precondition, cancellationToken).ConfigureAwait(false);
        if (status == BlocklistWriteStatus.PreconditionFailed)
        {
            return Problems.PreconditionFailed(ifNoneMatchAny ? "If-None-Match: * was given but the entry already exists." : Changed);
        }

        _ = updater.RefreshInBackground();
        return Entry(request, saved!, status == BlocklistWriteStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    [Function("BlocklistDelete")]
    public async Task<IActionResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "blocklist/{id}")] HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var (ifMatchGiven, ifMatch) = await IfMatchAsync(request, id, cancellationToken).ConfigureAwait(false);
        if (ifMatchGiven && ifMatch is null)
        {
            // Nothing can match; the read only tells a missing entry (404, as without If-Match) from a present one.
            return await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is null ? NotFound(id) : Problems.PreconditionFailed(NoMatch);
        }

        switch (await store.DeleteAsync(id, ifMatch, cancellationToken).ConfigureAwait(false))
        {
            case BlocklistWriteStatus.NotFound:
                return NotFound(id);
            case BlocklistWriteStatus.PreconditionFailed:
                return Problems.PreconditionFailed(Changed);
            default:
                _ = updater.RefreshInBackground();
                return new NoContentResult();
        }
    }

    private const string NoMatch = "If-Match names no version of this entry: read the entry for its current ETag.";

    private const string Changed = "The entry has changed since it was read, or no longer exists: read it again for its current ETag.";

    private static JsonResult Entry(HttpRequest request, StoredBlocklistEntry stored, int status)
    {
        request.HttpContext.Response.Headers.ETag = ETags.ToHeader(stored.ETag);
        return new JsonResult(BlocklistEntryResponse.From(stored.Entry), IpRangesJson.Default.Options) { StatusCode = status };
    }

    /// <summary>
    /// Whether <c>If-Match</c> was given, and the store ETag it asks for: <c>*</c>, the one it names, or for a list
    /// the current one if the list names it (the store matches one). Null when it names no version this API gave.
    /// </summary>
    private async Task<(bool Given, string? ETag)> IfMatchAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return (false, null);
        }

        // Control characters are not allowed in a field value (RFC 9110, 5.5); the typed parser skips them and would
        // read "\u001D*" as "*": such a header names nothing.
        if (header.Any(c => char.IsControl(c) && c != '\t'))
        {
            return (true, null);
        }

        // The typed header drops what does not parse: such a header names nothing, so it matches nothing.
        var tags = request.GetTypedHeaders().IfMatch;
        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return (true, "*");
        }

        string[] named = [.. tags.Where(tag => !tag.IsWeak).Select(tag => ETags.FromHeader(tag.Tag.ToString())).OfType<string>().Distinct(StringComparer.Ordinal)];
        if (named.Length <= 1)
        {
            return (true, named.SingleOrDefault());
        }

        var current = (await store.GetAsync(id, cancellationToken).ConfigureAwait(false))?.ETag;
        return (true, named.Contains(current, StringComparer.Ordinal) ? current : null);
    }

    /// <summary>A 400 naming the id when the route's id breaks Core's id rule.</summary>
    private static ObjectResult? InvalidId(string id)
    {
        var idRule = BlocklistRules.Validate(new BlocklistEntry(null, 1, "-", Id: id), requireId: true);
        return idRule is null ? null : Problems.BadRequest(idRule.Message, new Dictionary<string, string[]> { ["id"] = [idRule.Message] });
    }

    private static ObjectResult NotFound(string id) => Problems.NotFound($"There is no blocklist entry '{id}'.");
}
