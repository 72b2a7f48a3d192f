using GameSignals.Admin;
using GameSignals.Admin.Access;
using GameSignals.Admin.IpRanges;
using GameSignals.Functions.Console;
using GameSignals.Functions.Tests.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Console;

/// <summary>
/// Who may do what through the signed-in console (<c>/api/console/...</c> in Azure): the user App Service
/// Authentication passes in <c>X-MS-CLIENT-PRINCIPAL</c>, their app roles against each route's.
/// </summary>
public sealed class ConsoleAccessTests
{
    /// <summary>The routes that change what live-ops owns (rules, inbox state, stats settings); every other route with a role only reads, but for <see cref="SecurityWrites"/>.</summary>
    private static readonly HashSet<string> LiveOpsWrites = ["PutRule", "DeleteRule", "PromoteRule", "MarkInboxRead", "PutStatsSettings"];

    /// <summary>The routes that change what security owns (flags, fraud settings, the blocklist and its ranges).</summary>
    private static readonly HashSet<string> SecurityWrites = ["PutFraudConfig", "ResolveFraudFlag", "DismissFraudFlag", "BlocklistPut", "BlocklistDelete", "IpRangesRefreshNow"];

    /// <summary>Every route with a role, against every role.</summary>
    public static TheoryData<string, AdminRole> RoutesByRole
    {
        get
        {
            var data = new TheoryData<string, AdminRole>();
            foreach (var route in AdminRoutes.All.Where(r => r.Role is not null))
            {
                foreach (var role in Enum.GetValues<AdminRole>())
                {
                    data.Add(route.Name, role);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RoutesByRole))]
    public void Each_role_may_call_its_routes_and_is_refused_the_others_with_403(string name, AdminRole role)
    {
        var route = AdminRoutes.All.Single(r => r.Name == name);
        var allowed = role switch
        {
            AdminRole.Admin => true,
            AdminRole.LiveOps => !SecurityWrites.Contains(name),
            AdminRole.Security => !LiveOpsWrites.Contains(name),
            _ => !LiveOpsWrites.Contains(name) && !SecurityWrites.Contains(name),
        };
        var request = SignedIn("pat@studio.example", role.ToString());

        var refused = Access(appServiceAuthentication: true).Authorize(request.HttpContext, route);

        if (allowed)
        {
            Assert.Null(refused);
            Assert.Equal("pat@studio.example", AdminCaller.NameOf(request));
        }
        else
        {
            Assert.Contains(route.Role.ToString()!, Problem(refused!, StatusCodes.Status403Forbidden).Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_user_without_a_GameSignals_role_is_refused_even_reads_and_roles_are_matched_exactly()
    {
        var rules = AdminRoutes.All.Single(r => r.Name == "ListRules");

        Problem(Access(true).Authorize(SignedIn("pat@studio.example").HttpContext, rules)!, StatusCodes.Status403Forbidden);
        Problem(Access(true).Authorize(SignedIn("pat@studio.example", "admin", "3").HttpContext, rules)!, StatusCodes.Status403Forbidden);
    }

    [Fact]
    public async Task Without_a_principal_the_API_answers_401_and_a_page_sends_the_browser_to_sign_in()
    {
        var api = Request(method: "GET");
        api.Path = "/api/console/api/games/odin/rules";
        var page = Request(method: "GET", query: "?game=odin");
        page.Path = "/api/console/flags";

        Problem(await new ConsoleFunctions(Access(true)).ApiAsync(api), StatusCodes.Status401Unauthorized);
        var redirect = Assert.IsType<RedirectResult>(await new ConsoleFunctions(Access(true)).PageAsync(page));
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Fflags%3Fgame%3Dodin", redirect.Url);
    }

    [Fact]
    public async Task When_App_Service_Authentication_is_off_a_principal_header_is_not_trusted_and_the_API_answers_401()
    {
        var request = SignedIn("mallory@example.com", "Admin");
        request.Method = "DELETE";
        request.Path = "/api/console/api/blocklist/ring-1";

        var answer = await new ConsoleFunctions(Access(appServiceAuthentication: false)).ApiAsync(request);

        Assert.Contains("App Service Authentication is off", Problem(answer, StatusCodes.Status401Unauthorized).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_through_the_console_is_audited_as_the_validated_principal_never_the_forgeable_name_header()
    {
        await using var app = new IpRangesApp();
        var request = SignedIn("sec@studio.example", "Security");
        request.Method = "PUT";
        request.Path = "/api/console/api/blocklist/ring-1";
        request.Headers["x-ms-client-principal-name"] = "mallory@example.com";
        request.Body = new MemoryStream("""{ "cidr": "203.0.113.0/24", "reason": "chargeback ring" }"""u8.ToArray());
        request.ContentType = "application/json";
        request.HttpContext.RequestServices = app.Services;

        var (status, entry) = IpRangesApp.Json<BlocklistEntryResponse>(await new ConsoleFunctions(Access(true)).ApiAsync(request));

        Assert.Equal((StatusCodes.Status201Created, "sec@studio.example"), (status, entry.AddedBy));
    }

    [Fact]
    public async Task A_viewer_is_refused_a_write_through_the_console_before_anything_is_read_or_written()
    {
        await using var app = new IpRangesApp();
        var request = SignedIn("view@studio.example", "Viewer");
        request.Method = "DELETE";
        request.Path = "/api/console/api/blocklist/ring-1";
        request.HttpContext.RequestServices = app.Services;

        Problem(await new ConsoleFunctions(Access(true)).ApiAsync(request), StatusCodes.Status403Forbidden);
    }

    [Theory]
    [InlineData("GET", "/api/console/api/nothing/here")]
    [InlineData("PATCH", "/api/console/api/blocklist/ring-1")]
    public async Task A_path_or_method_no_route_answers_is_a_404(string method, string path)
    {
        var request = SignedIn("pat@studio.example", "Admin");
        request.Method = method;
        request.Path = path;

        Problem(await new ConsoleFunctions(Access(true)).ApiAsync(request), StatusCodes.Status404NotFound);
    }

    [Fact]
    public void A_principal_header_that_is_not_base64_JSON_naming_someone_is_no_principal()
    {
        Assert.Null(ClientPrincipal.Read("not base64!"));
        Assert.Null(ClientPrincipal.Read(Convert.ToBase64String("""{"claims":[{"typ":"roles","val":"Admin"}]}"""u8.ToArray())));
        var principal = ClientPrincipal.Read(Convert.ToBase64String(
            """{"auth_typ":"aad","claims":[{"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn","val":"pat@studio.example"},{"typ":"roles","val":"LiveOps"},{"typ":"roles","val":"Viewer"}],"name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}"""u8.ToArray()));
        Assert.Equal("pat@studio.example", principal!.Name);
        Assert.Equal(["LiveOps", "Viewer"], principal.Roles);
    }

    private static AdminAccess Access(bool appServiceAuthentication) =>
        new(Options.Create(new AdminAccessOptions { AppServiceAuthentication = appServiceAuthentication }));

    private static HttpRequest SignedIn(string name, params string[] roles)
    {
        var request = Request(method: "GET");
        request.Headers[ClientPrincipal.Header] = new ClientPrincipal(name, roles).ToHeader();
        return request;
    }
}
