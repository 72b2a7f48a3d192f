using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>The fraud admin routes as the host will bind them from <c>functions.metadata</c>: function-key protected, exact methods.</summary>
public sealed class FraudAdminMetadataTests
{
    [Theory]
    [InlineData("GetFraudConfig", "get", "games/{gameId}/fraud-config")]
    [InlineData("PutFraudConfig", "put", "games/{gameId}/fraud-config")]
    [InlineData("ListFraudFlags", "get", "games/{gameId}/flags")]
    [InlineData("GetFraudFlag", "get", "games/{gameId}/flags/{flagId}")]
    [InlineData("ResolveFraudFlag", "post", "games/{gameId}/flags/{flagId}:resolve")]
    [InlineData("DismissFraudFlag", "post", "games/{gameId}/flags/{flagId}:dismiss")]
    public void The_admin_function_is_a_function_key_route(string name, string method, string route)
    {
        var function = FunctionApp.Function(FunctionApp.ReadMetadata(FunctionApp.OutputDirectory), name);
        var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");

        Assert.Equal("function", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData("games/{gameId}/flags/{flagId}:resolve", "/games/odin/flags/0123456789abcdef0123456789abcdef:resolve", "0123456789abcdef0123456789abcdef")]
    [InlineData("games/{gameId}/flags/{flagId}:dismiss", "/games/odin/flags/0123456789abcdef0123456789abcdef:dismiss", "0123456789abcdef0123456789abcdef")]
    public void The_review_routes_parse_and_give_the_flag_id_without_the_verb(string route, string path, string flagId)
    {
        var matcher = new TemplateMatcher(TemplateParser.Parse(route), new RouteValueDictionary());
        var values = new RouteValueDictionary();

        Assert.True(matcher.TryMatch(new PathString(path), values));
        Assert.Equal(("odin", flagId), (values["gameId"], values["flagId"]));
        Assert.False(matcher.TryMatch(new PathString("/games/odin/flags/" + flagId), new RouteValueDictionary()));
    }
}
