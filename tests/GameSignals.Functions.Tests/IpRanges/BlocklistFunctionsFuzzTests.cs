using System.Text;
using FsCheck.Xunit;
using GameSignals.Functions.Tests.Http;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.IpRanges;

/// <summary>The blocklist functions under hostile ids, bodies and preconditions: an entry, a 204, or a refusal that changed nothing.</summary>
public sealed class BlocklistFunctionsFuzzTests
{
    private static readonly byte[] ValidEntry = Encoding.UTF8.GetBytes("""{ "cidr": "198.51.100.0/24", "reason": "chargeback ring", "expires": "2027-01-01T00:00:00Z" }""");

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Put_answers_the_entry_or_a_refusal_that_changed_nothing(RouteValue id, HostileBody body, IfMatchValue ifMatch, bool ifNoneMatchStar)
    {
        await using var app = await SeededAppAsync();
        var entryId = id.Or("b1");
        var current = await ETagAsync(app, entryId);
        var request = Request(body.For(ValidEntry), body.DeclaresLength, ifMatch: ifMatch.Header(current));
        if (ifNoneMatchStar)
        {
            request.Headers.IfNoneMatch = "*";
        }

        await AssertRefusalWritesNothingAsync(app, () => app.Blocklist.PutAsync(request, entryId),
            id.Hostile is null && body.IsValid && ifMatch.AllowsWrite(current) && !ifNoneMatchStar, [StatusCodes.Status200OK, StatusCodes.Status201Created], ifMatch.MustRefuseWrite(current));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Delete_answers_204_or_a_refusal_that_changed_nothing(RouteValue id, IfMatchValue ifMatch)
    {
        await using var app = await SeededAppAsync();
        var entryId = id.Or("b1");
        var current = await ETagAsync(app, entryId);
        var request = Request(ifMatch: ifMatch.Header(current));

        await AssertRefusalWritesNothingAsync(app, () => app.Blocklist.DeleteAsync(request, entryId), id.Hostile is null && ifMatch.AllowsWrite(current), [StatusCodes.Status204NoContent], ifMatch.MustRefuseWrite(current) && current is not null);
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(HostileInput)])]
    public async Task Get_answers_the_entry_or_a_refusal(RouteValue id)
    {
        await using var app = await SeededAppAsync();

        await AssertRefusalWritesNothingAsync(app, () => app.Blocklist.GetAsync(Request(), id.Or("b1")), id.Hostile is null, [StatusCodes.Status200OK]);
    }

    /// <summary>One entry, b1, blocking 203.0.113.0/24.</summary>
    private static async Task<IpRangesApp> SeededAppAsync()
    {
        var app = new IpRangesApp();
        await app.Store.UpsertAsync(new BlocklistEntry("203.0.113.0/24", null, "abuse", Id: "b1"), BlocklistPrecondition.None, CancellationToken.None);
        return app;
    }

    /// <summary>The entry's ETag as a GET answers it, null when there is no such entry.</summary>
    private static async Task<string?> ETagAsync(IpRangesApp app, string id)
    {
        var request = Request();
        return await app.Blocklist.GetAsync(request, id) is ContentResult ? request.HttpContext.Response.Headers.ETag.ToString() : null;
    }

    /// <summary>
    /// Runs the request: a success when all its parts are valid, a refusal when its If-Match cannot match, else a
    /// success or a refusal; and a refusal changed no store.
    /// </summary>
    private static async Task AssertRefusalWritesNothingAsync(IpRangesApp app, Func<Task<IActionResult>> send, bool valid, int[] success, bool mustRefuse = false)
    {
        var before = await app.SnapshotAsync();

        var status = HostileInput.StatusOf(await send(), success);

        if (status < StatusCodes.Status400BadRequest)
        {
            // A change starts a refresh in the background: let it end before the app is disposed.
            await (app.Updater.LastBackgroundRefresh ?? Task.FromResult<IpRangesRefreshResult?>(null));
        }

        Assert.True(!valid || status < StatusCodes.Status400BadRequest, $"A valid request was refused with {status}.");
        Assert.False(mustRefuse && status < StatusCodes.Status400BadRequest, "An If-Match that cannot match was ignored.");
        if (status >= StatusCodes.Status400BadRequest)
        {
            Assert.Equal(before, await app.SnapshotAsync());
        }
    }
}
