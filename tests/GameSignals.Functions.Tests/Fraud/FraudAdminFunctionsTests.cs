using GameSignals.Admin;
using GameSignals.Admin.Access;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GameSignals.Fraud;
using GameSignals.Admin.Fraud;
using GameSignals.Functions.Fraud;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>The fraud admin functions called as the host calls them, over the in-memory stores.</summary>
public sealed class FraudAdminFunctionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryFraudConfigStore _configs = new();
    private readonly InMemoryFlagStore _flags = new();
    private readonly FraudAdminFunctions _functions;

    public FraudAdminFunctionsTests() => _functions = new FraudAdminFunctions(new FraudAdmin(_configs, _flags, new FixedTime(Now)));

    [Fact]
    public async Task Settings_written_without_If_Match_the_first_time_are_read_back_with_the_same_ETag()
    {
        var put = AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson());
        var written = await _functions.PutConfigAsync(put, "odin");

        var get = AdminHttp.Request(method: "GET");
        var read = await _functions.GetConfigAsync(get, "odin");

        Assert.Equal(200, Content(written).StatusCode);
        Assert.Equal(put.HttpContext.Response.Headers.ETag.ToString(), get.HttpContext.Response.Headers.ETag.ToString());
        Assert.StartsWith("\"", get.HttpContext.Response.Headers.ETag.ToString(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(Content(read).Content!);
        Assert.Equal(20, body.RootElement.GetProperty("deviceFarm").GetProperty("maxDevicesPerIp").GetInt32());
        Assert.Equal(1200m, (await _configs.GetAsync("odin", CancellationToken.None))!.Config.Catalog!["gem_100"]["KRW"]);
    }

    [Fact]
    public async Task Reading_settings_of_a_game_without_any_is_a_404_problem()
    {
        AdminHttp.Problem(await _functions.GetConfigAsync(AdminHttp.Request(method: "GET"), "nope"), 404);
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_every_problem_by_field_and_nothing_is_saved()
    {
        var body = """{"blockCloudProviders":true,"deviceFarm":{"maxDevicesPerIp":0,"window":"ten minutes"},"currencies":{"steam":["USD"]}}"""u8.ToArray();

        var result = await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: body), "odin");

        var problem = Assert.IsType<ValidationProblemDetails>(AdminHttp.Problem(result, 400));
        Assert.Equal(["currencies.steam", "deviceFarm.maxDevicesPerIp", "deviceFarm.window"], problem.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await _configs.GetAsync("odin", CancellationToken.None));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"blockCloudProvider":true}""")]
    [InlineData("""{"blockCloudProviders":"yes"}""")]
    [InlineData("")]
    public async Task A_malformed_or_mistyped_settings_body_is_a_400_and_nothing_is_saved(string body)
    {
        AdminHttp.Problem(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: Encoding.UTF8.GetBytes(body)), "odin"), 400);

        Assert.Null(await _configs.GetAsync("odin", CancellationToken.None));
    }

    [Fact]
    public async Task A_write_with_the_current_ETag_succeeds_and_one_with_the_old_ETag_is_a_412_that_changes_nothing()
    {
        var first = AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson());
        await _functions.PutConfigAsync(first, "odin");
        var etag = first.HttpContext.Response.Headers.ETag.ToString();
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(FraudApp.OdinConfigJson()).Replace("\"maxDevicesPerIp\":20", "\"maxDevicesPerIp\":7", StringComparison.Ordinal));

        var second = AdminHttp.Request(method: "PUT", body: changed, headers: ("If-Match", etag));
        Assert.Equal(200, Content(await _functions.PutConfigAsync(second, "odin")).StatusCode);
        Assert.NotEqual(etag, second.HttpContext.Response.Headers.ETag.ToString());

        AdminHttp.Problem(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson(), headers: ("If-Match", etag)), "odin"), 412);
        AdminHttp.Problem(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson(), headers: ("If-Match", "\"%%\"")), "odin"), 412);
        Assert.Equal(7, (await _configs.GetAsync("odin", CancellationToken.None))!.Config.DeviceFarm!.MaxDevicesPerIp);
    }

    [Fact]
    public async Task Overwriting_existing_settings_without_If_Match_is_refused_with_428()
    {
        await _configs.SaveAsync("odin", FraudApp.OdinConfig(), null, CancellationToken.None);
        var before = (await _configs.GetAsync("odin", CancellationToken.None))!.ETag;

        AdminHttp.Problem(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson()), "odin"), 428);

        Assert.Equal(before, (await _configs.GetAsync("odin", CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task If_Match_star_needs_existing_settings()
    {
        AdminHttp.Problem(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson(), headers: ("If-Match", "*")), "odin"), 412);
        await _configs.SaveAsync("odin", FraudApp.OdinConfig(), null, CancellationToken.None);

        Assert.Equal(200, Content(await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: FraudApp.OdinConfigJson(), headers: ("If-Match", "*")), "odin")).StatusCode);
    }

    [Fact]
    public async Task Flags_are_listed_by_filter_in_event_time_order_page_by_page()
    {
        await SeedFlagsAsync();

        var first = await ListAsync("?userId=u1&reason=client.tampered&status=open&pageSize=1");
        var next = await ListAsync("?userId=u1&reason=client.tampered&status=open&pageSize=1&continuation=" + Uri.EscapeDataString(first.Continuation!));
        var window = await ListAsync("?from=2026-11-01T12:00:01Z&to=2026-11-01T21:00:04%2B09:00");

        Assert.Equal(["e1"], first.Flags.Select(f => f.EventId));
        Assert.Equal(["e2"], next.Flags.Select(f => f.EventId));
        Assert.Null(next.Continuation);
        Assert.Equal(["e2", "e3", "e4"], window.Flags.Select(f => f.EventId));
    }

    [Fact]
    public async Task Every_bad_query_parameter_is_named_in_one_400()
    {
        var context = AdminHttp.Request(method: "GET", query: "?reason=client.hacked&status=closed&from=yesterday&to=2026-11-01&pageSize=201&userId=a&userId=b");

        var problem = Assert.IsType<ValidationProblemDetails>(AdminHttp.Problem(await _functions.ListFlagsAsync(context, "odin"), 400));

        Assert.Equal(["from", "pageSize", "reason", "status", "to", "userId"], problem.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("?pageSize=0")]
    [InlineData("?pageSize=ten")]
    [InlineData("?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")]
    [InlineData("?status=")]
    [InlineData("?continuation=bm90IGEgdG9rZW4")]
    public async Task A_bad_page_size_time_range_empty_value_or_continuation_is_a_400(string query)
    {
        await SeedFlagsAsync();

        AdminHttp.Problem(await _functions.ListFlagsAsync(AdminHttp.Request(method: "GET", query: query), "odin"), 400);
    }

    [Fact]
    public async Task A_flag_is_read_by_id_and_an_unknown_or_malformed_id_is_404_or_400()
    {
        var flags = await SeedFlagsAsync();

        using var body = JsonDocument.Parse(Content(await _functions.GetFlagAsync(AdminHttp.Request(method: "GET"), "odin", flags[0].Id)).Content!);
        Assert.Equal((flags[0].Id, "client.tampered", "open"), (body.RootElement.GetProperty("id").GetString(), body.RootElement.GetProperty("reason").GetString(), body.RootElement.GetProperty("status").GetString()));
        AdminHttp.Problem(await _functions.GetFlagAsync(AdminHttp.Request(method: "GET"), "ares", flags[0].Id), 404);
        AdminHttp.Problem(await _functions.GetFlagAsync(AdminHttp.Request(method: "GET"), "odin", new string('0', 32)), 404);
        AdminHttp.Problem(await _functions.GetFlagAsync(AdminHttp.Request(method: "GET"), "odin", "../etc"), 400);
    }

    [Fact]
    public async Task Resolving_records_the_caller_the_time_and_the_comment_and_a_second_review_is_a_409_keeping_the_first()
    {
        var flags = await SeedFlagsAsync();
        var resolve = AdminHttp.Request(method: "POST", body: """{"comment":"confirmed cheat"}"""u8.ToArray());
        new AdminCaller("alice@example.com", new HashSet<AdminRole> { AdminRole.Security }).EstablishOn(resolve.HttpContext);

        var resolved = await _functions.ResolveFlagAsync(resolve, "odin", flags[0].Id);
        var again = await _functions.DismissFlagAsync(AdminHttp.Request(method: "POST", body: """{"comment":"oops"}"""u8.ToArray()), "odin", flags[0].Id);

        using var body = JsonDocument.Parse(Content(resolved).Content!);
        Assert.Equal(("resolved", "alice@example.com", "confirmed cheat"), (body.RootElement.GetProperty("status").GetString(), body.RootElement.GetProperty("resolvedBy").GetString(), body.RootElement.GetProperty("comment").GetString()));
        AdminHttp.Problem(again, 409);
        var stored = (await _flags.GetAsync("odin", flags[0].Id, CancellationToken.None))!;
        Assert.Equal((FlagStatus.Resolved, "alice@example.com", Now, "confirmed cheat"), (stored.Status, stored.ResolvedBy, stored.ResolvedAt, stored.Comment));
    }

    [Fact]
    public async Task Dismissing_through_the_function_key_route_records_key_as_the_reviewer_whatever_name_header_is_sent()
    {
        var flags = await SeedFlagsAsync();

        await _functions.DismissFlagAsync(AdminHttp.Request(method: "POST", body: """{"comment":"shared office IP"}"""u8.ToArray(), headers: ("x-ms-client-principal-name", "mallory@example.com")), "odin", flags[1].Id);

        var stored = (await _flags.GetAsync("odin", flags[1].Id, CancellationToken.None))!;
        Assert.Equal((FlagStatus.Dismissed, "key", Now), (stored.Status, stored.ResolvedBy, stored.ResolvedAt));
    }

    [Fact]
    public async Task A_review_of_an_unknown_flag_is_404_and_a_bad_body_or_id_is_400_without_a_write()
    {
        var flags = await SeedFlagsAsync();

        AdminHttp.Problem(await _functions.ResolveFlagAsync(AdminHttp.Request(method: "POST", body: "{}"u8.ToArray()), "odin", new string('a', 32)), 404);
        AdminHttp.Problem(await _functions.ResolveFlagAsync(AdminHttp.Request(method: "POST", body: """{"comment":3}"""u8.ToArray()), "odin", flags[0].Id), 400);
        AdminHttp.Problem(await _functions.ResolveFlagAsync(AdminHttp.Request(method: "POST", body: Encoding.UTF8.GetBytes($$"""{"comment":"{{new string('x', 4001)}}"}""")), "odin", flags[0].Id), 400);
        AdminHttp.Problem(await _functions.DismissFlagAsync(AdminHttp.Request(method: "POST", body: "{}"u8.ToArray()), "odin", "not an id"), 400);
        AdminHttp.Problem(await _functions.DismissFlagAsync(AdminHttp.Request(method: "POST", body: "{}"u8.ToArray()), " ", flags[0].Id), 400);

        Assert.Equal(FlagStatus.Open, (await _flags.GetAsync("odin", flags[0].Id, CancellationToken.None))!.Status);
    }

    private async Task<List<FraudFlag>> SeedFlagsAsync()
    {
        List<FraudFlag> flags =
        [
            FraudApp.Flag("e1", "u1", FraudReasons.ClientTampered, T0),
            FraudApp.Flag("e2", "u1", FraudReasons.ClientTampered, new DateTimeOffset(2026, 11, 1, 21, 0, 1, TimeSpan.FromHours(9))),
            FraudApp.Flag("e3", "u2", FraudReasons.ClientTampered, T0.AddSeconds(2)),
            FraudApp.Flag("e4", "u1", FraudReasons.DeviceFarm, T0.AddSeconds(3)),
            FraudApp.Flag("e5", "u1", FraudReasons.ClientTampered, T0.AddSeconds(4)) with { Status = FlagStatus.Dismissed },
            FraudApp.Flag("e6", "u1", FraudReasons.ClientTampered, T0.AddSeconds(1)) with { GameId = "ares" },
        ];
        foreach (var flag in flags)
        {
            await _flags.CreateAsync(flag, CancellationToken.None);
        }

        return flags;
    }

    private async Task<(List<FraudFlag> Flags, string? Continuation)> ListAsync(string query)
    {
        using var body = JsonDocument.Parse(Content(await _functions.ListFlagsAsync(AdminHttp.Request(method: "GET", query: query), "odin")).Content!);
        var ids = body.RootElement.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();
        var continuation = body.RootElement.GetProperty("continuation");
        return ([.. ids.Select(id => _flags.All.Single(f => f.Id == id && f.GameId == "odin"))], continuation.ValueKind == JsonValueKind.Null ? null : continuation.GetString());
    }

    [Fact]
    public async Task A_root_certificate_that_cannot_sign_certificates_is_a_400_naming_it_with_the_reason_and_nothing_is_saved()
    {
        using var storeKitTesting = SelfSigned("CN=StoreKit Testing in Xcode", X509KeyUsageFlags.DigitalSignature);
        using var root = SelfSigned("CN=Test Root", X509KeyUsageFlags.KeyCertSign);

        var result = await _functions.PutConfigAsync(AdminHttp.Request(method: "PUT", body: AppStoreSettings([root, storeKitTesting], environment: null)), "odin");

        var problem = Assert.IsType<ValidationProblemDetails>(AdminHttp.Problem(result, 400));
        var message = Assert.Single(Assert.Single(problem.Errors, e => e.Key == "appStore.rootCertificates[1]").Value);
        Assert.Single(problem.Errors);
        Assert.Contains("cannot sign certificates", message, StringComparison.Ordinal);
        Assert.Contains("without keyCertSign", message, StringComparison.Ordinal);
        Assert.Null(await _configs.GetAsync("odin", CancellationToken.None));
    }

    [Fact]
    public async Task The_app_store_environment_is_read_back_as_written_and_an_unknown_one_is_a_400_naming_it()
    {
        using var root = SelfSigned("CN=Test Root", X509KeyUsageFlags.KeyCertSign);
        var put = AdminHttp.Request(method: "PUT", body: AppStoreSettings([root], environment: "Sandbox"));
        Assert.Equal(200, Content(await _functions.PutConfigAsync(put, "odin")).StatusCode);
        var etag = put.HttpContext.Response.Headers.ETag.ToString();

        using var read = JsonDocument.Parse(Content(await _functions.GetConfigAsync(AdminHttp.Request(method: "GET"), "odin")).Content!);
        var refused = await _functions.PutConfigAsync(
            AdminHttp.Request(method: "PUT", body: AppStoreSettings([root], environment: "sandbox"), headers: ("If-Match", etag)), "odin");

        Assert.Equal("Sandbox", read.RootElement.GetProperty("appStore").GetProperty("environment").GetString());
        var problem = Assert.IsType<ValidationProblemDetails>(AdminHttp.Problem(refused, 400));
        Assert.Equal(["appStore.environment"], problem.Errors.Keys);
        Assert.Equal("Sandbox", (await _configs.GetAsync("odin", CancellationToken.None))!.Config.AppStore!.Environment);
    }

    /// <summary>App Store settings of game odin as an admin would PUT them (no other store configured).</summary>
    private static byte[] AppStoreSettings(X509Certificate2[] roots, string? environment)
    {
        var appStore = new JsonObject
        {
            ["bundleId"] = "com.example.odin",
            ["rootCertificates"] = new JsonArray([.. roots.Select(r => JsonValue.Create(Convert.ToBase64String(r.RawData)))]),
        };
        if (environment is not null)
        {
            appStore["environment"] = environment;
        }

        var settings = new JsonObject
        {
            ["deviceFarm"] = new JsonObject { ["maxDevicesPerIp"] = 5, ["window"] = "PT10M" },
            ["currencies"] = new JsonObject { ["app_store"] = new JsonArray("USD") },
            ["appStore"] = appStore,
        };
        return Encoding.UTF8.GetBytes(settings.ToJsonString());
    }

    private static X509Certificate2 SelfSigned(string name, X509KeyUsageFlags usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        return request.CreateSelfSigned(T0.AddYears(-1), T0.AddYears(1));
    }

    private static ContentResult Content(IActionResult result)
    {
        var content = Assert.IsType<ContentResult>(result);
        Assert.StartsWith("application/json", content.ContentType, StringComparison.Ordinal);
        return content;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
