using System.Text;

namespace GameSignals.Functions.Http;

/// <summary>
/// Store ETags as HTTP entity tags: the store's value, base64url-encoded inside quotes, so whatever a store
/// uses (Cosmos's are quoted themselves) the header is a valid strong entity tag and comes back intact.
/// </summary>
internal static class ETags
{
    public static string ToHeader(string etag) => "\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(etag)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";

    /// <summary>The store ETag in an <c>If-Match</c> value, or null when it is not one <see cref="ToHeader"/> made.</summary>
    public static string? FromHeader(string header)
    {
        var text = header.Trim();
        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return null;
        }

        var base64 = text[1..^1].Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}
