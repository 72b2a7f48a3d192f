using System.Security.Cryptography;
using System.Text.Json;
using GameSignals.Functions.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace GameSignals.Functions.IpRanges;

/// <summary>
/// The operators' blocklist: <c>GET /api/blocklist</c>, <c>GET/PUT/DELETE /api/blocklist/{id}</c>. Entries carry an
/// <c>ETag</c> (a hash of the entry); PUT and DELETE honour <c>If-Match</c> (and PUT <c>If-None-Match: *</c>).
/// A change is published by a refresh started in the background: lookups see it once that refresh ends and each
/// instance has read the new pointer (within <see cref="IpRangesHostOptions.PointerCheckInterval"/>).
/// </summary>
public sealed class BlocklistFunctions(IBlocklistStore store, IpRangesUpdater updater)
{
    /// <summary>The caller's identity under App Service authentication.</summary>

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

        var entry = await store.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return entry is null ? NotFound(id) : Entry(request, BlocklistEntryResponse.From(entry), StatusCodes.Status200OK);
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
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (Precondition(request, current) is { } failed)
        {
            return failed;
        }

        var saved = await store.UpsertAsync(entry, cancellationToken).ConfigureAwait(false);
        _ = updater.RefreshInBackground();
        return Entry(request, BlocklistEntryResponse.From(saved), current is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
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
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return NotFound(id);
        }

        if (Precondition(request, current) is { } failed)
        {
            return failed;
        }

        if (!await store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound(id); // deleted meanwhile
        }

        _ = updater.RefreshInBackground();
        return new NoContentResult();
    }

    /// <summary>The entry's ETag: a hash of what the API shows, so it changes whenever the entry does, whatever the store.</summary>
    internal static string ETagOf(BlocklistEntryResponse entry) =>
        $"\"{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(entry, IpRangesJson.Default.BlocklistEntryResponse)))[..32]}\"";

    private static JsonResult Entry(HttpRequest request, BlocklistEntryResponse entry, int status)
    {
        request.HttpContext.Response.Headers.ETag = ETagOf(entry);
        return new JsonResult(entry, IpRangesJson.Default.Options) { StatusCode = status };
    }

    /// <summary>412 when If-Match names another version (or the entry is missing), or If-None-Match * finds one.</summary>
    private static ObjectResult? Precondition(HttpRequest request, BlocklistEntry? current)
    {
        var headers = request.GetTypedHeaders();
        if (!string.IsNullOrWhiteSpace(request.Headers.IfMatch.ToString()) && headers.IfMatch.Count == 0)
        {
            // The typed header drops what does not parse: unchecked, it would make the write unconditional.
            return Problems.PreconditionFailed("If-Match is not a list of entity tags: read the entry for its current ETag.");
        }

        var currentTag = current is null ? null : new EntityTagHeaderValue(ETagOf(BlocklistEntryResponse.From(current)));
        if (headers.IfMatch.Count > 0
            && (currentTag is null || !headers.IfMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(currentTag, useStrongComparison: true))))
        {
            return Problems.PreconditionFailed(current is null
                ? "If-Match was given but the entry does not exist."
                : "The entry has changed since it was read: read it again for its current ETag.");
        }

        if (current is not null && headers.IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return Problems.PreconditionFailed("If-None-Match: * was given but the entry already exists.");
        }

        return null;
    }

    /// <summary>A 400 naming the id when the route's id breaks Core's id rule.</summary>
    private static ObjectResult? InvalidId(string id)
    {
        var idRule = BlocklistRules.Validate(new BlocklistEntry(null, 1, "-", Id: id), requireId: true);
        return idRule is null ? null : Problems.BadRequest(idRule.Message, new Dictionary<string, string[]> { ["id"] = [idRule.Message] });
    }

    private static ObjectResult NotFound(string id) => Problems.NotFound($"There is no blocklist entry '{id}'.");
}
