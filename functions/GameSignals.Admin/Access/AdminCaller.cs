using Microsoft.AspNetCore.Http;

namespace GameSignals.Admin.Access;

/// <summary>
/// Who makes an admin request, as the host established it: the name written in audit fields (<c>changedBy</c>,
/// <c>addedBy</c>, <c>reviewedBy</c>) and the roles held. Never read from a header the caller could set.
/// </summary>
public sealed record AdminCaller(string Name, IReadOnlySet<AdminRole> Roles)
{
    /// <summary>
    /// A function key. The host checks the key before the worker sees the request, but the isolated worker is not
    /// told which key it was (docs/design.md, "Authorization"), so every key is audited as <c>key</c>. Keys are for
    /// automation and may call every route.
    /// </summary>
    public static AdminCaller Key { get; } = new("key", new HashSet<AdminRole> { AdminRole.Admin });

    /// <summary>The operator of <c>gamesignals console</c>, which only listens on 127.0.0.1: whoever runs it.</summary>
    public static AdminCaller LocalOperator { get; } = new("local", new HashSet<AdminRole> { AdminRole.Admin });

    /// <summary>
    /// Whether these roles admit a route needing <paramref name="needed"/> (null: anyone). Admin admits every
    /// route; every role may read (Viewer routes); LiveOps and Security each admit their own routes.
    /// </summary>
    public bool May(AdminRole? needed) => needed switch
    {
        null => true,
        _ when Roles.Contains(AdminRole.Admin) => true,
        AdminRole.Viewer => Roles.Count > 0,
        _ => Roles.Contains(needed.Value),
    };

    /// <summary>Makes this the caller of the request, for the handlers' audit names.</summary>
    public void EstablishOn(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Features.Set(this);
    }

    /// <summary>
    /// The audit name of the request's caller. A request no host marked reached a per-route function of the
    /// function app, which the host admits only with a function key (<c>AuthorizationLevel.Function</c>): a key.
    /// </summary>
    public static string NameOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.HttpContext.Features.Get<AdminCaller>() ?? Key).Name;
    }
}
