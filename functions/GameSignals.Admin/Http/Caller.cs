using Microsoft.AspNetCore.Http;

namespace GameSignals.Admin.Http;

/// <summary>Who made an admin request, for reviews and audit fields.</summary>
public static class Caller
{
    /// <summary>App Service authentication's principal name when present, else <c>function-key</c>.</summary>
    public static string NameOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers["x-ms-client-principal-name"].FirstOrDefault() is { } name && !string.IsNullOrWhiteSpace(name) ? name : "function-key";
    }
}
