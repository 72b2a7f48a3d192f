using GameSignals.Admin.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace GameSignals.Admin.Access;

/// <summary>The <c>Admin</c> settings of the function app.</summary>
public sealed class AdminAccessOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// True when App Service Authentication (Entra ID) runs in front of the app (<c>Admin__AppServiceAuthentication</c>,
    /// set by the Bicep with the sign-in settings): only then is <c>X-MS-CLIENT-PRINCIPAL</c> the platform's and not
    /// the caller's, so only then does the signed-in console answer.
    /// </summary>
    public bool AppServiceAuthentication { get; set; }
}

/// <summary>
/// The signed-in way into the admin routes (the console in Azure): the caller is the user App Service
/// Authentication validated, and the route's role must be among their app roles. Function keys go through the
/// per-route functions instead, which the host admits only with a key.
/// </summary>
public sealed class AdminAccess(IOptions<AdminAccessOptions> options)
{
    /// <summary>Where App Service Authentication signs a browser in with Entra ID.</summary>
    public const string LoginPath = "/.auth/login/aad";

    /// <summary>Runs <paramref name="route"/> for the signed-in caller, or answers why not (401, 403, or a sign-in redirect for a page).</summary>
    public async Task<IActionResult> InvokeAsync(HttpContext http, AdminRoute route)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(route);
        return Authorize(http, route) ?? await route.Invoke(http).ConfigureAwait(false);
    }

    /// <summary>Null when the request may call the route (its caller then established), else the answer that refuses it.</summary>
    public IActionResult? Authorize(HttpContext http, AdminRoute route)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(route);
        if (route.Role is null)
        {
            return null;
        }

        if (!options.Value.AppServiceAuthentication)
        {
            return Problems.Unauthorized(
                "Signing in is not set up here: App Service Authentication is off (Admin:AppServiceAuthentication), so no signed-in user can be trusted. Call /api/ with a function key instead.");
        }

        if (ClientPrincipal.Read(http.Request.Headers[ClientPrincipal.Header]) is not { } principal)
        {
            return route.Name == AdminRoutes.ConsolePageName
                ? new RedirectResult(LoginPath + "?post_login_redirect_uri=" + Uri.EscapeDataString(http.Request.PathBase + http.Request.Path + http.Request.QueryString))
                : Problems.Unauthorized($"Sign in first: {LoginPath}.");
        }

        var roles = principal.Roles.Where(r => Enum.GetNames<AdminRole>().Contains(r, StringComparer.Ordinal)).Select(Enum.Parse<AdminRole>).ToHashSet();
        var caller = new AdminCaller(principal.Name, roles);
        if (!caller.May(route.Role))
        {
            var held = roles.Count == 0 ? "no GameSignals role" : "the role(s) " + string.Join(", ", roles.Order());
            return Problems.Forbidden($"{route.Method} {route.Template} needs the {route.Role} role (or Admin); {principal.Name} holds {held}.");
        }

        caller.EstablishOn(http);
        return null;
    }
}
