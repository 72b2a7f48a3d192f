using GameSignals.Admin;
using GameSignals.Admin.Http;
using GameSignals.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.OpenApi;

namespace GameSignals.Functions.Tests.Http;

/// <summary>
/// <c>GET /api/openapi.json</c> as a client reads it: a valid OpenAPI 3 document, naming every route of the route
/// table with its method, parameters, body and answers, problems included.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly Lazy<OpenApiDocument> Served = new(() =>
    {
        var content = Assert.IsType<ContentResult>(OpenApiFunction.Run(GameSignals.Tests.AdminHttp.Request()));
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("3.0", System.Text.Json.JsonDocument.Parse(content.Content!).RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var read = OpenApiDocument.Parse(content.Content!, "json");
        Assert.Empty(read.Diagnostic!.Errors);
        return read.Document!;
    });

    public static TheoryData<string> Routes => [.. AdminRoutes.All.Select(r => r.Name)];

    [Fact]
    public void The_document_is_valid_OpenAPI()
    {
        Assert.Empty(Served.Value.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Every_route_is_documented_with_its_method_parameters_body_and_answers(string name)
    {
        var route = AdminRoutes.All.Single(r => r.Name == name);
        var path = Served.Value.Paths["/api/" + route.Template.Replace("?}", "}", StringComparison.Ordinal)];
        var operation = path.Operations![HttpMethod.Parse(route.Method)];

        Assert.Equal(name, operation.OperationId);
        var parameters = (operation.Parameters ?? []).Select(p => (p.Name, p.In)).ToList();
        Assert.Equal(TemplateParser.Parse(route.Template).Parameters.Select(p => (p.Name, (ParameterLocation?)ParameterLocation.Path)), parameters.Where(p => p.In == ParameterLocation.Path));
        Assert.Equal(route.Query.Select(q => (q, (ParameterLocation?)ParameterLocation.Query)), parameters.Where(p => p.In == ParameterLocation.Query).Select(p => (p.Name!, p.In)));
        Assert.Equal(route.Body is not null, operation.RequestBody?.Content?.ContainsKey("application/json") == true);
        Assert.All(route.Success, status => Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), operation.Responses!.Keys));

        string[] problems = route.Role is null ? ["400"] : ["400", "401", "403"];
        Assert.All(problems, status => Assert.True(
            operation.Responses![status].Content?.ContainsKey(Problems.ContentType) == true,
            $"{name} documents no {status} problem+json"));
    }

    [Fact]
    public void Role_routes_name_their_role_and_the_function_key_scheme()
    {
        var putRule = Served.Value.Paths["/api/" + AdminRoutes.Rule].Operations![HttpMethod.Put];

        Assert.Contains("LiveOps", putRule.Description, StringComparison.Ordinal);
        Assert.Equal("functionKey", Assert.Single(Assert.Single(putRule.Security!).Keys).Reference.Id);
        Assert.Empty(Served.Value.Paths["/api/" + AdminRoutes.Health].Operations![HttpMethod.Get].Security ?? []);
    }
}
