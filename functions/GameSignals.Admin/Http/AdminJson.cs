using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Http;

/// <summary>
/// The one way an admin answer is written as JSON: serialised with the source-generated contract of its type
/// (camelCase, nulls as each context says), UTF-8, with its status. Problems are written by <see cref="Problems"/>.
/// </summary>
public static class AdminJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static ContentResult Write<T>(T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK) =>
        new() { Content = JsonSerializer.Serialize(value, typeInfo), ContentType = ContentType, StatusCode = status };

    /// <summary>Writes a resource with its <c>ETag</c> header (the store's version as <see cref="ETags.ToHeader"/> makes it).</summary>
    public static ContentResult WriteVersioned<T>(HttpRequest request, string storeETag, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.ETag = ETags.ToHeader(storeETag);
        return Write(value, typeInfo, status);
    }
}
