using GameSignals.Admin;
using GameSignals.Admin.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.IpRanges;

/// <summary>
/// The operators' blocklist (<see cref="BlocklistAdmin"/>) as HTTP functions. A change is published by a refresh
/// started in the background (<see cref="IpRangesUpdater"/>): lookups see it once that refresh ends and each
/// instance has read the new pointer (within <see cref="IpRangesHostOptions.PointerCheckInterval"/>).
/// </summary>
public sealed class BlocklistFunctions(BlocklistAdmin admin)
{
    [Function("BlocklistList")]
    public Task<IActionResult> ListAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Blocklist)] HttpRequest request) =>
        admin.ListAsync(request);

    [Function("BlocklistGet")]
    public Task<IActionResult> GetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.BlocklistEntry)] HttpRequest request, string id) =>
        admin.GetAsync(request, id);

    [Function("BlocklistPut")]
    public Task<IActionResult> PutAsync([HttpTrigger(AuthorizationLevel.Function, "put", Route = AdminRoutes.BlocklistEntry)] HttpRequest request, string id) =>
        admin.PutAsync(request, id);

    [Function("BlocklistDelete")]
    public Task<IActionResult> DeleteAsync([HttpTrigger(AuthorizationLevel.Function, "delete", Route = AdminRoutes.BlocklistEntry)] HttpRequest request, string id) =>
        admin.DeleteAsync(request, id);
}
