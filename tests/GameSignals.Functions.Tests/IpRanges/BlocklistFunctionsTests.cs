using System.Net;
using GameSignals.Admin.Http;
using GameSignals.Admin.IpRanges;
using GameSignals.IpRanges;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using static GameSignals.Functions.Tests.IpRanges.IpRangesApp;
using static GameSignals.Tests.AdminHttp;

namespace GameSignals.Functions.Tests.IpRanges;

public sealed class BlocklistFunctionsTests
{
    [Fact]
    public async Task A_new_entry_is_created_canonical_with_its_ETag_and_author_and_is_published_by_the_refresh_it_starts()
    {
        await using var app = new IpRangesApp();
        var request = Request("""{ "cidr": "::ffff:203.0.113.0/120", "reason": "chargeback ring" }""", headers: ("x-ms-client-principal-name", "alice@example.com"));

        var (status, entry) = Json<BlocklistEntryResponse>(await app.Blocklist.PutAsync(request, "ring-1"));

        Assert.Equal(StatusCodes.Status201Created, status);
        // The name header is the caller's own (only App Service Authentication's principal is trusted): the author is the key.
        Assert.Equal(new BlocklistEntryResponse("ring-1", "203.0.113.0/24", null, "chargeback ring", null, "key"), entry);
        Assert.Equal(ETags.ToHeader((await app.Store.GetAsync("ring-1", CancellationToken.None))!.ETag), request.HttpContext.Response.Headers.ETag.ToString());
        Assert.Equal(IpRangesRefreshOutcome.Published, (await app.Updater.LastBackgroundRefresh!)!.Outcome);
        var matches = new List<BlocklistEntry>();
        app.Table.GetBlocklistMatches(IPAddress.Parse("203.0.113.77"), Now, matches);
        Assert.Equal("ring-1", Assert.Single(matches).Id);
    }

    [Fact]
    public async Task Through_the_function_key_route_the_author_is_key()
    {
        await using var app = new IpRangesApp();

        var (_, entry) = Json<BlocklistEntryResponse>(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "bulletproof hosting", "expires": "2027-01-01T00:00:00Z" }"""), "as-64512"));

        Assert.Equal(("key", 64512u, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)), (entry.AddedBy, entry.Asn!.Value, entry.Expires!.Value));
    }

    [Fact]
    public async Task Putting_an_entry_again_replaces_it_with_200_and_a_new_ETag_and_If_Match_on_the_current_ETag_is_accepted()
    {
        await using var app = new IpRangesApp();
        var first = Request("""{ "asn": 64512, "reason": "first" }""");
        await app.Blocklist.PutAsync(first, "x");
        var firstTag = first.HttpContext.Response.Headers.ETag.ToString();

        var second = Request("""{ "asn": 64512, "reason": "second" }""", headers: ("If-Match", firstTag));
        var (status, entry) = Json<BlocklistEntryResponse>(await app.Blocklist.PutAsync(second, "x"));

        Assert.Equal((StatusCodes.Status200OK, "second"), (status, entry.Reason));
        Assert.NotEqual(firstTag, second.HttpContext.Response.Headers.ETag.ToString());
        Assert.Equal("second", (await app.Store.GetAsync("x", CancellationToken.None))!.Entry.Reason);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("\"unterminated")]
    [InlineData(",")]
    [InlineData("\u001D*")]
    [InlineData("*\u0000")]
    public async Task An_If_Match_that_is_not_an_entity_tag_is_412_and_changes_nothing(string ifMatch)
    {
        await using var app = new IpRangesApp();
        await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "first" }"""), "x");

        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "second" }""", headers: ("If-Match", ifMatch)), "x"), StatusCodes.Status412PreconditionFailed);
        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "new" }""", headers: ("If-Match", ifMatch)), "y"), StatusCodes.Status412PreconditionFailed);
        Problem(await app.Blocklist.DeleteAsync(Request(headers: ("If-Match", ifMatch)), "x"), StatusCodes.Status412PreconditionFailed);

        Assert.Equal(["first"], (await app.Store.ListAsync(CancellationToken.None)).Select(e => e.Reason));
    }

    [Fact]
    public async Task A_put_with_a_stale_If_Match_is_412_and_changes_nothing()
    {
        await using var app = new IpRangesApp();
        var first = Request("""{ "asn": 64512, "reason": "first" }""");
        await app.Blocklist.PutAsync(first, "x");
        var staleTag = first.HttpContext.Response.Headers.ETag.ToString();
        await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "second" }""", headers: ("If-Match", "*")), "x");

        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "third" }""", headers: ("If-Match", staleTag)), "x"), StatusCodes.Status412PreconditionFailed);

        Assert.Equal("second", (await app.Store.GetAsync("x", CancellationToken.None))!.Entry.Reason);
    }

    [Fact]
    public async Task Of_two_writes_with_the_same_If_Match_the_second_is_412_and_writes_nothing_even_when_the_first_changed_no_field()
    {
        await using var app = new IpRangesApp();
        var created = Request("""{ "asn": 64512, "reason": "first" }""");
        await app.Blocklist.PutAsync(created, "x");
        await app.Updater.LastBackgroundRefresh!;
        var readTag = created.HttpContext.Response.Headers.ETag.ToString();
        var winner = Request("""{ "asn": 64512, "reason": "first" }""", headers: ("If-Match", readTag));
        await app.Blocklist.PutAsync(winner, "x");
        var winnerRefresh = app.Updater.LastBackgroundRefresh;

        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64513, "reason": "second" }""", headers: ("If-Match", readTag)), "x"), StatusCodes.Status412PreconditionFailed);
        Problem(await app.Blocklist.DeleteAsync(Request(headers: ("If-Match", readTag)), "x"), StatusCodes.Status412PreconditionFailed);

        var stored = (await app.Store.GetAsync("x", CancellationToken.None))!;
        Assert.Equal((64512u, "first"), (stored.Entry.Asn, stored.Entry.Reason));
        Assert.Equal(winner.HttpContext.Response.Headers.ETag.ToString(), ETags.ToHeader(stored.ETag));
        Assert.Same(winnerRefresh, app.Updater.LastBackgroundRefresh);
        await winnerRefresh!;
    }

    [Fact]
    public async Task If_Match_on_a_missing_entry_and_If_None_Match_star_on_an_existing_one_are_412()
    {
        await using var app = new IpRangesApp();

        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "r" }""", headers: ("If-Match", "\"abc\"")), "x"), StatusCodes.Status412PreconditionFailed);
        Assert.Null(await app.Store.GetAsync("x", CancellationToken.None));

        var (created, _) = Json<BlocklistEntryResponse>(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "r" }""", headers: ("If-None-Match", "*")), "x"));
        Assert.Equal(StatusCodes.Status201Created, created);
        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64513, "reason": "r2" }""", headers: ("If-None-Match", "*")), "x"), StatusCodes.Status412PreconditionFailed);
        Assert.Equal(64512u, (await app.Store.GetAsync("x", CancellationToken.None))!.Entry.Asn);
    }

    [Theory]
    [InlineData("""{ "cidr": "203.0.113.7/24", "reason": "host bits set" }""", "cidr")]
    [InlineData("""{ "cidr": "not-an-ip", "reason": "r" }""", "cidr")]
    [InlineData("""{ "cidr": "203.0.113.0/24", "asn": 64512, "reason": "both" }""", "cidr")]
    [InlineData("""{ "reason": "neither" }""", "cidr")]
    [InlineData("""{ "asn": 0, "reason": "not routed" }""", "asn")]
    [InlineData("""{ "asn": 64512 }""", "reason")]
    [InlineData("""{ "asn": 64512, "reason": "   " }""", "reason")]
    public async Task An_invalid_entry_is_a_400_naming_the_field_and_nothing_is_written_or_refreshed(string body, string field)
    {
        await using var app = new IpRangesApp();

        var problem = Assert.IsType<ValidationProblemDetails>(Problem(await app.Blocklist.PutAsync(Request(body), "x"), StatusCodes.Status400BadRequest));

        Assert.Equal([field], problem.Errors.Keys);
        Assert.Empty(await app.Store.ListAsync(CancellationToken.None));
        Assert.Null(app.Updater.LastBackgroundRefresh);
    }

    [Fact]
    public async Task A_reason_longer_than_the_limit_is_a_400_naming_the_reason()
    {
        await using var app = new IpRangesApp();
        var body = $$"""{ "asn": 64512, "reason": "{{new string('r', BlocklistRules.MaxReasonLength + 1)}}" }""";

        var problem = Assert.IsType<ValidationProblemDetails>(Problem(await app.Blocklist.PutAsync(Request(body), "x"), StatusCodes.Status400BadRequest));

        Assert.Equal(["reason"], problem.Errors.Keys);
        Assert.Empty(await app.Store.ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"asn\": ")]
    [InlineData("""{ "asn": -5, "reason": "negative" }""")]
    [InlineData("""{ "asn": "64512", "reason": "a string" }""")]
    [InlineData("""{ "cdir": "203.0.113.0/24", "reason": "misspelt" }""")]
    [InlineData("""{ "asn": 64512, "reason": "r", "expires": "next week" }""")]
    [InlineData("null")]
    public async Task A_malformed_body_is_a_400_and_nothing_is_written(string body)
    {
        await using var app = new IpRangesApp();

        Problem(await app.Blocklist.PutAsync(Request(body), "x"), StatusCodes.Status400BadRequest);

        Assert.Empty(await app.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_id_that_breaks_the_id_rule_is_a_400_on_every_route()
    {
        await using var app = new IpRangesApp();
        var id = new string('i', 129);

        Problem(await app.Blocklist.GetAsync(Request(), id), StatusCodes.Status400BadRequest);
        Problem(await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "r" }"""), id), StatusCodes.Status400BadRequest);
        Problem(await app.Blocklist.DeleteAsync(Request(), id), StatusCodes.Status400BadRequest);
        Assert.Empty(await app.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Entries_are_read_one_by_one_with_the_ETag_of_their_write_and_listed_by_id()
    {
        await using var app = new IpRangesApp();
        var put = Request("""{ "cidr": "198.51.100.0/24", "reason": "scrapers" }""");
        await app.Blocklist.PutAsync(put, "b");
        await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "hosting" }"""), "a");

        var get = Request();
        var (status, entry) = Json<BlocklistEntryResponse>(await app.Blocklist.GetAsync(get, "b"));
        var (_, list) = Json<BlocklistListResponse>(await app.Blocklist.ListAsync(Request()));

        Assert.Equal((StatusCodes.Status200OK, "198.51.100.0/24"), (status, entry.Cidr));
        Assert.Equal(put.HttpContext.Response.Headers.ETag.ToString(), get.HttpContext.Response.Headers.ETag.ToString());
        Assert.Equal(["a", "b"], list.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task An_unknown_entry_is_a_404_for_reads_and_deletes()
    {
        await using var app = new IpRangesApp();

        Problem(await app.Blocklist.GetAsync(Request(), "nope"), StatusCodes.Status404NotFound);
        Problem(await app.Blocklist.DeleteAsync(Request(), "nope"), StatusCodes.Status404NotFound);
    }

    [Fact]
    public async Task A_delete_with_a_stale_If_Match_is_412_and_keeps_the_entry()
    {
        await using var app = new IpRangesApp();
        await app.Blocklist.PutAsync(Request("""{ "asn": 64512, "reason": "first" }"""), "x");

        Problem(await app.Blocklist.DeleteAsync(Request(headers: ("If-Match", "\"stale\"")), "x"), StatusCodes.Status412PreconditionFailed);

        Assert.NotNull(await app.Store.GetAsync("x", CancellationToken.None));
    }

    [Fact]
    public async Task A_delete_answers_204_and_the_refresh_it_starts_unblocks_the_address()
    {
        await using var app = new IpRangesApp();
        var put = Request("""{ "cidr": "192.0.2.0/24", "reason": "ring" }""");
        await app.Blocklist.PutAsync(put, "ring");
        await app.Updater.LastBackgroundRefresh!;

        var result = await app.Blocklist.DeleteAsync(Request(headers: ("If-Match", put.HttpContext.Response.Headers.ETag.ToString())), "ring");

        Assert.IsType<NoContentResult>(result);
        Assert.Equal(IpRangesRefreshOutcome.Published, (await app.Updater.LastBackgroundRefresh!)!.Outcome);
        var matches = new List<BlocklistEntry>();
        app.Table.GetBlocklistMatches(IPAddress.Parse("192.0.2.1"), Now, matches);
        Assert.Empty(matches);
        Assert.Null(await app.Store.GetAsync("ring", CancellationToken.None));
    }
}
