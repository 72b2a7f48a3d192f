using GameSignals.Admin;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>The fraud review routes as the route table matches them (the console API dispatches by it).</summary>
public sealed class FraudReviewRouteTests
{
    [Theory]
    [InlineData("ResolveFraudFlag", "/games/odin/flags/0123456789abcdef0123456789abcdef:resolve", "0123456789abcdef0123456789abcdef")]
    [InlineData("DismissFraudFlag", "/games/odin/flags/0123456789abcdef0123456789abcdef:dismiss", "0123456789abcdef0123456789abcdef")]
    public void The_review_routes_parse_and_give_the_flag_id_without_the_verb(string name, string path, string flagId)
    {
        var (route, values) = AdminRoutes.Match("POST", path)!.Value;

        Assert.Equal((name, "odin", flagId), (route.Name, values["gameId"], values["flagId"]));
        Assert.Null(AdminRoutes.Match("POST", "/games/odin/flags/" + flagId));
    }
}
