using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GameSignals.Admin.Access;

/// <summary>
/// The user App Service Authentication signed in, as it passes them in <c>X-MS-CLIENT-PRINCIPAL</c>: base64 JSON
/// with the token's claims (<c>typ</c>, <c>val</c>) and which claim types carry the name and the roles.
/// App Service removes the header from incoming requests and sets it only itself, so it can be trusted exactly
/// when App Service Authentication is on.
/// </summary>
public sealed record ClientPrincipal(string Name, IReadOnlyList<string> Roles)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The claim type of Entra ID app roles in the token.</summary>
    public const string RolesClaim = "roles";

    private static readonly string[] NameClaims = ["name", "preferred_username"];

    /// <summary>The principal in the header's value, or null when it is not one (not base64 JSON, or naming nobody).</summary>
    public static ClientPrincipal? Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var bytes = new byte[header.Length];
        if (!Convert.TryFromBase64String(header.Trim(), bytes, out var length))
        {
            return null;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Encoding.UTF8.GetString(bytes, 0, length), ClientPrincipalJson.Default.Payload);
        }
        catch (JsonException)
        {
            return null;
        }

        var claims = payload?.Claims ?? [];
        string? Claim(string? type) => type is null ? null : claims.FirstOrDefault(c => c.Typ == type && !string.IsNullOrWhiteSpace(c.Val))?.Val;
        var name = Claim(payload?.NameTyp) ?? NameClaims.Select(Claim).FirstOrDefault(n => n is not null);
        if (name is null)
        {
            return null;
        }

        var roles = claims.Where(c => (c.Typ == RolesClaim || (payload!.RoleTyp is { } roleTyp && c.Typ == roleTyp)) && c.Val is not null)
            .Select(c => c.Val!).Distinct(StringComparer.Ordinal).ToList();
        return new ClientPrincipal(name, roles);
    }

    /// <summary>The header's value for this principal, as App Service writes it (tests, and documentation).</summary>
    public string ToHeader()
    {
        var payload = new Payload("aad", [new Claim("name", Name), .. Roles.Select(r => new Claim(RolesClaim, r))], "name", RolesClaim);
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(payload, ClientPrincipalJson.Default.Payload));
    }

    internal sealed record Payload(
        [property: JsonPropertyName("auth_typ")] string? AuthTyp,
        [property: JsonPropertyName("claims")] IReadOnlyList<Claim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameTyp,
        [property: JsonPropertyName("role_typ")] string? RoleTyp);

    internal sealed record Claim([property: JsonPropertyName("typ")] string? Typ, [property: JsonPropertyName("val")] string? Val);
}

[JsonSerializable(typeof(ClientPrincipal.Payload))]
internal sealed partial class ClientPrincipalJson : JsonSerializerContext;
