using GameSignals.Admin.Access;
using GameSignals.Admin.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.IpRanges;

/// <summary>
/// The operators' blocklist: list, read, write and delete entries by id. Writes follow the If-Match policy of
/// <see cref="ETags"/>, checked again by the store's write itself, so of two writes with the same If-Match one lands
/// and the other is 412. A change is published by <see cref="IRangePublisher.PublishBlocklistChangeAsync"/>.
/// </summary>
public sealed class BlocklistAdmin(IBlocklistStore store, IRangePublisher publisher)
{
    public async Task<IActionResult> ListAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entries = await store.ListAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return AdminJson.Write(new BlocklistListResponse([.. entries.Select(BlocklistEntryResponse.From)]), IpRangesJson.Default.BlocklistListResponse);
    }

    public async Task<IActionResult> GetAsync(HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.Resource(nameof(id), id) is { } invalid)
        {
            return invalid;
        }

        var stored = await store.GetAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return stored is null ? NotFound(id) : Entry(request, stored, StatusCodes.Status200OK);
    }

    public async Task<IActionResult> PutAsync(HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.Resource(nameof(id), id) is { } invalidId)
        {
            return invalidId;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, IpRangesJson.Default.BlocklistEntryRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var entry = new BlocklistEntry(body!.Cidr, body.Asn, body.Reason ?? "", body.Expires, AdminCaller.NameOf(request), id);
        if (BlocklistRules.Validate(entry, requireId: true) is { } invalid)
        {
            return Problems.Invalid(invalid.Field, invalid.Message, invalid.Message);
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var precondition = ETags.ForWrite(request, current?.ETag, $"Blocklist entry '{id}'");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        // Without If-Match the entry did not exist: the write creates it only, so a concurrent create is a 412, not lost.
        var (status, saved) = await store.UpsertAsync(
            entry, precondition.ETag is { } etag ? BlocklistPrecondition.Matching(etag) : BlocklistPrecondition.Absent, cancellationToken).ConfigureAwait(false);
        if (status == BlocklistWriteStatus.PreconditionFailed)
        {
            return Problems.PreconditionFailed(Changed);
        }

        await publisher.PublishBlocklistChangeAsync(cancellationToken).ConfigureAwait(false);
        return Entry(request, saved!, status == BlocklistWriteStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public async Task<IActionResult> DeleteAsync(HttpRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.Resource(nameof(id), id) is { } invalid)
        {
            return invalid;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return NotFound(id);
        }

        var precondition = ETags.ForWrite(request, current.ETag, $"Blocklist entry '{id}'");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        switch (await store.DeleteAsync(id, precondition.ETag, cancellationToken).ConfigureAwait(false))
        {
            case BlocklistWriteStatus.NotFound:
                return NotFound(id);
            case BlocklistWriteStatus.PreconditionFailed:
                return Problems.PreconditionFailed(Changed);
            default:
                await publisher.PublishBlocklistChangeAsync(cancellationToken).ConfigureAwait(false);
                return new NoContentResult();
        }
    }

    private const string Changed = "The entry has changed since it was read, or no longer exists: read it again for its current ETag.";

    private static ContentResult Entry(HttpRequest request, StoredBlocklistEntry stored, int status) =>
        AdminJson.WriteVersioned(request, stored.ETag, BlocklistEntryResponse.From(stored.Entry), IpRangesJson.Default.BlocklistEntryResponse, status);

    private static ObjectResult NotFound(string id) => Problems.NotFound($"There is no blocklist entry '{id}'.");
}
