using GameSignals.Admin;
using GameSignals.Admin.Profiles;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Profiles;

/// <summary>Similarity queries over the profile index (<see cref="SimilarityAdmin"/>) as HTTP functions.</summary>
public sealed class SimilarityFunctions(SimilarityAdmin admin)
{
    [Function("ProfilesSimilar")]
    public Task<IActionResult> SimilarAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = AdminRoutes.Similar)] HttpRequest request, string gameId) =>
        admin.SimilarAsync(request, gameId);

    [Function("ProfilesPeers")]
    public Task<IActionResult> PeersAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = AdminRoutes.Peers)] HttpRequest request, string gameId, string userId) =>
        admin.PeersAsync(request, gameId, userId);
}
