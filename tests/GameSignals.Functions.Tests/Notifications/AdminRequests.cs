using System.Text;
using System.Text.Json;
using GameSignals.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>Requests as the host hands them to HTTP functions, and checks of their answers.</summary>
internal static class AdminRequests
{
    public static HttpRequest Request(string? body = null, string? query = null, string? ifMatch = null)
    {
        var context = new DefaultHttpContext();
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            context.Request.ContentType = "application/json";
        }

        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        if (ifMatch is not null)
        {
            context.Request.Headers.IfMatch = ifMatch;
        }

        return context.Request;
    }

    /// <summary>A request with these body bytes, declaring their length or not (as a chunked upload does not).</summary>
    public static HttpRequest Request(byte[] body, bool declareLength, string? query = null, string? ifMatch = null)
    {
        var request = Request(query: query, ifMatch: ifMatch);
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

    /// <summary>Asserts a problem+json answer with that status and returns it.</summary>
    public static ProblemDetails Problem(IActionResult result, int status)
    {
        var problem = Assert.IsType<ObjectResult>(result);
        Assert.Equal(status, problem.StatusCode);
        Assert.Contains(Problems.ContentType, problem.ContentTypes);
        return Assert.IsAssignableFrom<ProblemDetails>(problem.Value);
    }

    public static IDictionary<string, string[]> Errors(IActionResult result) =>
        Assert.IsType<ValidationProblemDetails>(Problem(result, StatusCodes.Status400BadRequest)).Errors;
}
