using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Http;

/// <summary>
/// RFC 9457 problem responses (<c>application/problem+json</c>) for the admin API, and the one way
/// they read a JSON body: size-limited, strictly typed, every failure a 400 that says what is wrong.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>Bodies above this are refused before they are parsed.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static ObjectResult BadRequest(string detail, IDictionary<string, string[]>? errors = null) =>
        Create(StatusCodes.Status400BadRequest, "The request is not valid.", detail, errors);

    public static ObjectResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found.", detail);

    public static ObjectResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict.", detail);

    public static ObjectResult PreconditionFailed(string detail) =>
        Create(StatusCodes.Status412PreconditionFailed, "The resource has changed.", detail);

    public static ObjectResult PreconditionRequired(string detail) =>
        Create(StatusCodes.Status428PreconditionRequired, "If-Match is required.", detail);

    public static ObjectResult Unauthorized(string detail) => Create(StatusCodes.Status401Unauthorized, "Sign-in required.", detail);

    public static ObjectResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden.", detail);

    /// <summary>A 400 naming one field (a body member, query parameter or route value) and what is wrong with it.</summary>
    public static ObjectResult Invalid(string field, string message, string? detail = null) =>
        BadRequest(detail ?? $"{field}: {message}", new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static ObjectResult TooLarge() => BadRequest($"The body is too large: it may be at most {MaxBodyBytes} bytes.");

    public static ObjectResult Create(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        ProblemDetails problem = errors is { Count: > 0 }
            ? new ValidationProblemDetails(errors) { Status = status, Title = title, Detail = detail }
            : new ProblemDetails { Status = status, Title = title, Detail = detail };
        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add(ContentType);
        return result;
    }

    /// <summary>
    /// Reads the request body as <typeparamref name="T"/>. Returns the value, or a problem result for an
    /// empty, oversized or malformed body (the JSON path and position of the fault in the detail).
    /// </summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, BadRequest("The request needs a JSON body."));
        }

        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return value is null ? (null, BadRequest("The body must be a JSON object, not null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var detail = $"The body is not valid JSON for this request at {ex.Path ?? "$"} (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).";

            // A fault inside a member (a wrong JSON type, e.g. a number where a list belongs) is named in errors, by its path.
            return ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
                ? (null, BadRequest(detail, new Dictionary<string, string[]>(StringComparer.Ordinal) { [path[2..]] = ["has the wrong JSON type for this field, or is not valid JSON"] }))
                : (null, BadRequest(detail));
        }
    }
}
