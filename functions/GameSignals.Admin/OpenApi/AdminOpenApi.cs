using System.Globalization;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.OpenApi;

namespace GameSignals.Admin.OpenApi;

/// <summary>
/// The OpenAPI 3 document of the admin API (<c>GET /api/openapi.json</c>), generated from <see cref="AdminRoutes.All"/>:
/// each route's method, path and query parameters, body, role, and answers, problems included. Bodies are named by
/// their contract in docs/contract.md rather than spelled out as schemas.
/// </summary>
public static class AdminOpenApi
{
    private const string ProblemSchema = "Problem";
    private const string FunctionKey = "functionKey";

    /// <summary>Answers every route may give beyond its successes, and when.</summary>
    private static readonly (int Status, string Description, Func<AdminRoute, bool> Applies)[] Refusals =
    [
        (StatusCodes.Status400BadRequest, "The request is not valid: the problem names each refused field.", _ => true),
        (StatusCodes.Status401Unauthorized, "No function key (under /api/), or no signed-in user (under /api/console/api/).", r => r.Role is not null),
        (StatusCodes.Status403Forbidden, "The signed-in user lacks the route's role.", r => r.Role is not null),
        (StatusCodes.Status404NotFound, "What the path names does not exist.", r => r.Template.Contains('{', StringComparison.Ordinal)),
        (StatusCodes.Status409Conflict, "The resource is not in a state this change applies to.", r => r.Method == "POST" && r.Body is not null),
        (StatusCodes.Status412PreconditionFailed, "If-Match names no current version, or If-None-Match: * met an existing resource.", r => r.Method is "PUT" or "DELETE"),
        (StatusCodes.Status428PreconditionRequired, "The resource exists and If-Match was not sent.", r => r.Method is "PUT" or "DELETE"),
        (StatusCodes.Status503ServiceUnavailable, "A dependency is unavailable; try again after Retry-After.", r => r.Role is not null),
    ];

    private static readonly Lazy<string> Json = new(() =>
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        Build().SerializeAsV3(new OpenApiJsonWriter(text));
        return text.ToString();
    });

    /// <summary>The document as JSON.</summary>
    public static ContentResult Write() => new() { Content = Json.Value, ContentType = AdminJson.ContentType, StatusCode = StatusCodes.Status200OK };

    /// <summary>The document.</summary>
    public static OpenApiDocument Build()
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "GameSignals admin API",
                Version = "1",
                Description = "Automation calls the routes under /api/ with a function key (x-functions-key or ?code=), as Admin. " +
                    "The console's signed-in users call the same routes (not the console's own pages) under /api/console/api/, " +
                    "each needing the role its description names (Entra ID app roles: Viewer, LiveOps, Security, Admin). " +
                    "Errors are application/problem+json (RFC 9457).",
            },
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { [ProblemSchema] = Problem() },
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [FunctionKey] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key", Description = "A function key (automation)." },
                },
            },
        };

        foreach (var route in AdminRoutes.All)
        {
            var path = "/api/" + route.Template.Replace("?}", "}", StringComparison.Ordinal);
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            ((OpenApiPathItem)item).AddOperation(HttpMethod.Parse(route.Method), Operation(document, route));
        }

        return document;
    }

    private static OpenApiOperation Operation(OpenApiDocument document, AdminRoute route)
    {
        var operation = new OpenApiOperation
        {
            OperationId = route.Name,
            Summary = route.Summary,
            Description = route.Role is { } role ? $"Needs the {role} role (or Admin) when signed in." : "Open to anyone.",
            Parameters = [.. PathParameters(route), .. route.Query.Select(QueryParameter)],
            Responses = [],
        };
        if (route.Role is not null)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(FunctionKey, document)] = [] }];
        }

        if (route.Body is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"{body} (docs/contract.md), at most {Problems.MaxBodyBytes} bytes.",
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            };
        }

        foreach (var status in route.Success)
        {
            operation.Responses[Code(status)] = new OpenApiResponse
            {
                Description = status switch { StatusCodes.Status201Created => "Created.", StatusCodes.Status204NoContent => "Done.", _ => "OK." },
                Content = status == StatusCodes.Status204NoContent ? null : route.Produces.ToDictionary(type => type, _ => new OpenApiMediaType(), StringComparer.Ordinal),
            };
        }

        foreach (var (status, description, _) in Refusals.Where(p => p.Applies(route)))
        {
            operation.Responses[Code(status)] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    [Problems.ContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                },
            };
        }

        return operation;
    }

    private static IEnumerable<IOpenApiParameter> PathParameters(AdminRoute route) =>
        TemplateParser.Parse(route.Template).Parameters.Select(p => (IOpenApiParameter)new OpenApiParameter
        {
            Name = p.Name,
            In = ParameterLocation.Path,
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

    private static IOpenApiParameter QueryParameter(string name) => new OpenApiParameter
    {
        Name = name,
        In = ParameterLocation.Query,
        Schema = name switch
        {
            "pageSize" or "k" or "limit" => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            "from" or "to" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    /// <summary>RFC 9457 problem details, with <c>errors</c> by field on a 400.</summary>
    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    private static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);
}
