using GameSignals.Admin;
using GameSignals.Admin.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.IpRanges;

/// <summary>What is known about an address, and a refresh now (<see cref="IpLookupAdmin"/>), as HTTP functions.</summary>
public sealed class IpLookupFunctions(IpLookupAdmin admin)
{
    [Function("IpLookup")]
    public Task<IActionResult> LookupAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.IpLookup)] HttpRequest request, string address) =>
        admin.LookupAsync(request, address);

    [Function("IpRangesRefreshNow")]
    public Task<IActionResult> RefreshAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.IpRangesRefresh)] HttpRequest request) =>
        admin.RefreshAsync(request);
}
