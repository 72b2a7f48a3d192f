using System.Text;
using FsCheck.Xunit;
using GameSignals.Fraud;
using GameSignals.Functions.Fraud;
using GameSignals.Admin.Http;
using GameSignals.Functions.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>The fraud admin functions under hostile input: settings, flags, or a refusal that changed nothing.</summary>
public sealed class FraudAdminFunctionsFuzzTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string OpenFlag = FraudFlag.IdFor(FraudReasons.ClientTampered, "/games/odin/kr-01", "e1");
    private static readonly byte[] ValidReview = Encoding.UTF8.GetBytes("""{ "comment": "confirmed with the player" }""");

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Saving_settings_answers_them_or_a_refusal_that_changed_nothing(RouteValue game, HostileBody body, IfMatchValue ifMatch)
    {
        await using var app = await SeededAppAsync();
        var gameId = game.Or("odin");
        var current = (await app.Configs.GetAsync(gameId, CancellationToken.None))?.ETag is { } etag ? ETags.ToHeader(etag) : null;
        var request = Request(body.For(FraudApp.OdinConfigJson()), body.DeclaresLength, ifMatch: ifMatch.Header(current));

        // Settings exist, so without If-Match the answer is 428.
        var expected = ifMatch.Current ? StatusCodes.Status200OK : StatusCodes.Status428PreconditionRequired;
        await AssertRefusalWritesNothingAsync(app, gameId, () => app.Create<FraudAdminFunctions>().PutConfigAsync(request, gameId),
            game.Hostile is null && body.IsValid && ifMatch.IsValid ? expected : null, [.. HostileInput.RefusalStatuses, StatusCodes.Status428PreconditionRequired],
            !ifMatch.CanMatch(current));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Reading_settings_and_a_flag_answers_them_or_a_refusal(RouteValue game, RouteValue flag)
    {
        await using var app = await SeededAppAsync();
        var (gameId, flagId) = (game.Or("odin"), flag.Or(OpenFlag));
        var functions = app.Create<FraudAdminFunctions>();

        await AssertRefusalWritesNothingAsync(app, gameId, () => functions.GetConfigAsync(Request(), gameId), game.Hostile is null ? 200 : null);
        await AssertRefusalWritesNothingAsync(app, gameId, () => functions.GetFlagAsync(Request(), gameId, flagId), game.Hostile is null && flag.Hostile is null ? 200 : null);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Searching_flags_answers_a_page_or_a_refusal(
        RouteValue game, QueryValue userId, QueryValue reason, QueryValue status, QueryValue from, QueryValue to, QueryValue pageSize, QueryValue continuation, bool realToken)
    {
        await using var app = await SeededAppAsync();
        var functions = app.Create<FraudAdminFunctions>();
        var query = userId.Query("userId") + reason.Query("reason") + status.Query("status") + from.Query("from") + to.Query("to")
            + pageSize.Query("pageSize") + continuation.Query("continuation");
        if (continuation.IsValid && realToken)
        {
            var first = Json(await functions.ListFlagsAsync(Request(query: "?pageSize=1"), "odin"));
            query += "&continuation=" + Uri.EscapeDataString(first.GetProperty("continuation").GetString()!);
        }

        var gameId = game.Or("odin");
        var valid = game.Hostile is null && userId.IsValid && reason.IsValid && status.IsValid && from.IsValid && to.IsValid && pageSize.IsValid && continuation.IsValid;
        await AssertRefusalWritesNothingAsync(app, gameId, () => functions.ListFlagsAsync(Request(query: query.Length == 0 ? null : "?" + query[1..]), gameId), valid ? 200 : null);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Reviewing_a_flag_answers_it_or_a_refusal_that_changed_nothing(RouteValue game, RouteValue flag, HostileBody body, bool dismiss)
    {
        await using var app = await SeededAppAsync();
        var (gameId, flagId) = (game.Or("odin"), flag.Or(OpenFlag));
        var request = Request(body.For(ValidReview), body.DeclaresLength);
        var functions = app.Create<FraudAdminFunctions>();

        await AssertRefusalWritesNothingAsync(app, gameId,
            () => dismiss ? functions.DismissFlagAsync(request, gameId, flagId) : functions.ResolveFlagAsync(request, gameId, flagId),
            game.Hostile is null && flag.Hostile is null && body.IsValid ? 200 : null);
    }

    /// <summary>The example settings of odin and three open flags of player u1.</summary>
    private static async Task<FraudApp> SeededAppAsync()
    {
        var app = new FraudApp();
        await app.Configs.SaveAsync("odin", FraudApp.OdinConfig(), null, CancellationToken.None);
        for (var i = 1; i <= 3; i++)
        {
            await app.Flags.CreateAsync(FraudApp.Flag($"e{i}", "u1", FraudReasons.ClientTampered, T0.AddMinutes(i)), CancellationToken.None);
        }

        return app;
    }

    /// <summary>
    /// Runs the request: <paramref name="expected"/> when all its parts are valid, a refusal when its If-Match cannot
    /// match, else a success or a refusal; and a refusal changed no store.
    /// </summary>
    private static async Task AssertRefusalWritesNothingAsync(FraudApp app, string gameId, Func<Task<IActionResult>> send, int? expected, int[]? refusals = null, bool mustRefuse = false)
    {
        var before = await app.SnapshotAsync("odin", gameId);

        var status = HostileInput.StatusOf(await send(), [StatusCodes.Status200OK], refusals);

        Assert.False(mustRefuse && status < StatusCodes.Status400BadRequest, "An If-Match that cannot match was ignored.");
        if (expected is { } valid)
        {
            Assert.Equal(valid, status);
        }
        else if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, await app.SnapshotAsync("odin", gameId));
        }
    }
}
