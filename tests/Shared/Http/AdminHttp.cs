using System.Text;
using System.Text.Json;
using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Tests;

/// <summary>Requests as the host hands them to the admin HTTP functions, and checks of their answers.</summary>
internal static class AdminHttp
{
    /// <summary>A request; a body is JSON and declares its length, as the host's requests do.</summary>
    public static HttpRequest Request(string? body = null, string? query = null, string? ifMatch = null, string method = "GET", params (string Name, string Value)[] headers) =>
        body is null
            ? Build(method, query, ifMatch, headers)
            : Request(Encoding.UTF8.GetBytes(body), declareLength: true, query, ifMatch, method, headers);

    /// <summary>A request with these body bytes, declaring their length or not (as a chunked upload does not).</summary>
    public static HttpRequest Request(byte[] body, bool declareLength = true, string? query = null, string? ifMatch = null, string method = "GET", params (string Name, string Value)[] headers)
    {
        var request = Build(method, query, ifMatch, headers);
        request.Body = new MemoryStream(body);
        request.ContentType = "application/json";
        request.ContentLength = declareLength ? body.Length : null;
        return request;
    }

    /// <summary>The status and parsed JSON of a JSON answer.</summary>
    public static JsonElement Json(IActionResult result, int status = StatusCodes.Status200OK)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.Equal(status, content.StatusCode);
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(content.Content!);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a problem+json answer with that status (in the response and in the problem) and returns it.</summary>
    public static ProblemDetails Problem(IActionResult result, int status)
    {
        var problem = Assert.IsAssignableFrom<ObjectResult>(result);
        Assert.Equal(status, problem.StatusCode);
        Assert.Equal([Problems.ContentType], problem.ContentTypes);
        var details = Assert.IsAssignableFrom<ProblemDetails>(problem.Value);
        Assert.Equal(status, details.Status);
        return details;
    }

    /// <summary>The <c>errors</c> of a 400 validation problem, by field.</summary>
    public static IDictionary<string, string[]> Errors(IActionResult result) =>
        Assert.IsType<ValidationProblemDetails>(Problem(result, StatusCodes.Status400BadRequest)).Errors;

    private static HttpRequest Build(string method, string? query, string? ifMatch, (string Name, string Value)[] headers)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        if (query is not null)
        {
            request.QueryString = new QueryString(query);
        }

        if (ifMatch is not null)
        {
            request.Headers.IfMatch = ifMatch;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers[name] = value;
        }

        return request;
    }
}
