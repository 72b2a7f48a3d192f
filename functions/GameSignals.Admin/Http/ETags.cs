using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace GameSignals.Admin.Http;

/// <summary>What a write's preconditions allow: go on with the store ETag to match (null: create), or the problem that refuses it.</summary>
public readonly record struct WritePrecondition(bool Exists, string? ETag, ObjectResult? Problem);

/// <summary>
/// Store ETags as HTTP entity tags, and the one If-Match policy of the admin API. An ETag header is the store's
/// value, base64url-encoded inside quotes, so whatever a store uses (Cosmos's are quoted themselves) the header is
/// a valid strong entity tag and comes back intact.
/// </summary>
/// <remarks>
/// The policy (docs/contract.md, "Admin API"): replacing or deleting a resource that exists needs <c>If-Match</c>
/// (428 without it), naming its current ETag or <c>*</c> (412 otherwise); creating one needs none, and
/// <c>If-None-Match: *</c> insists on creating (412 when it exists). Weak tags never match (RFC 9110's strong
/// comparison), and a header with control characters names nothing.
/// </remarks>
public static class ETags
{
    public static string ToHeader(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        return "\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(etag)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
    }

    /// <summary>The store ETag in an entity tag, or null when it is not one <see cref="ToHeader"/> made.</summary>
    public static string? FromHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
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

    /// <summary>
    /// Applies the policy to a write of a resource whose current store ETag is <paramref name="current"/> (null when
    /// it does not exist). The store write then matches <see cref="WritePrecondition.ETag"/>, so a change between
    /// this read and the write is still a 412.
    /// </summary>
    public static WritePrecondition ForWrite(HttpRequest request, string? current, string what)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.IfMatch.ToString();
        var ifNoneMatchAny = request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any));
        var exists = current is not null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return (exists, ifNoneMatchAny) switch
            {
                (false, _) => new(false, null, null),
                (true, true) => new(true, null, Problems.PreconditionFailed($"If-None-Match: * was given but {what} already exists.")),
                (true, false) => new(true, null, Problems.PreconditionRequired($"{what} exists: send the ETag you read in If-Match (or * to replace whatever is there).")),
            };
        }

        if (ifNoneMatchAny)
        {
            return new(exists, null, Problems.PreconditionFailed("If-Match and If-None-Match: * cannot both hold."));
        }

        if (!exists)
        {
            return new(false, null, Problems.PreconditionFailed($"If-Match was given but {what} does not exist."));
        }

        return Matches(request, header, current!)
            ? new(true, current, null)
            : new(true, null, Problems.PreconditionFailed($"{what} has changed since it was read, or If-Match names no version of it: read it again for its current ETag."));
    }

    private static bool Matches(HttpRequest request, string header, string current)
    {
        // Control characters are not allowed in a field value (RFC 9110, 5.5); the typed parser skips them and would
        // read "\u001D*" as "*": such a header names nothing.
        if (header.Any(c => char.IsControl(c) && c != '\t'))
        {
            return false;
        }

        // The typed header drops what does not parse: such a header names nothing, so it matches nothing.
        var tags = request.GetTypedHeaders().IfMatch;
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any))
            || tags.Any(tag => !tag.IsWeak && FromHeader(tag.Tag.ToString()) == current);
    }
}
