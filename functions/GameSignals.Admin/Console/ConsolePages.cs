using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GameSignals.Admin.Health;
using GameSignals.Admin.Http;
using GameSignals.Admin.IpRanges;
using GameSignals.Events;
using GameSignals.Fraud;
using GameSignals.IpRanges;
using GameSignals.Notifications;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Console;

/// <summary>
/// The live-ops console: server-rendered pages (Rules, Flags, Blocklist and IP, Players, Health) read from the
/// same stores the admin handlers use. Every change a page makes goes through the admin API itself
/// (<c>assets/console.js</c> calls it), so the console can do nothing the API would refuse, under the same roles.
/// htmx swaps the lists when a filter changes; Chart.js draws a player's standing among peers.
/// </summary>
public sealed class ConsolePages(IRuleStore rules, IFlagStore flags, IBlocklistStore blocklist, IRangePublisher ranges, IFailureCounts failures, TimeProvider time)
{
    public static readonly string[] Pages = ["rules", "flags", "blocklist", "players", "health"];

    private static readonly string[] EventTypeNames =
        [.. typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>A page, for the game named by <c>?game=</c> (the default game of the host when absent).</summary>
    public async Task<IActionResult> PageAsync(HttpRequest request, string? page, string defaultGame)
    {
        ArgumentNullException.ThrowIfNull(request);
        page = string.IsNullOrEmpty(page) ? "rules" : page;
        if (!Pages.Contains(page, StringComparer.Ordinal))
        {
            return Problems.NotFound($"The console has no page '{page}'.");
        }

        var query = new QueryParameters(request);
        var game = query.Value("game") ?? defaultGame;
        if (!Ids.IsExternalId(game))
        {
            return Problems.Invalid("game", Ids.ExternalIdRule);
        }

        var ct = request.HttpContext.RequestAborted;
        var body = new StringBuilder();
        switch (page)
        {
            case "rules":
                await RulesAsync(body, game, ct).ConfigureAwait(false);
                break;
            case "flags":
                if (await FlagsAsync(body, game, query, ct).ConfigureAwait(false) is { } refused)
                {
                    return refused;
                }

                break;
            case "blocklist":
                await BlocklistAsync(body, query.Value("ip"), ct).ConfigureAwait(false);
                break;
            case "players":
                Players(body, query.Value("user"));
                break;
            default:
                await HealthAsync(body, ct).ConfigureAwait(false);
                break;
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return new ContentResult { Content = Layout(page, game, body.ToString()), ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    private async Task RulesAsync(StringBuilder b, string game, CancellationToken ct)
    {
        var stored = await rules.ListAsync(game, ct).ConfigureAwait(false);
        b.Append("<h1>Rules</h1><section aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rules of ").Append(E(game)).Append("</h2>");
        if (stored.Count == 0)
        {
            b.Append("<p>No rules yet: build one below.</p>");
        }
        else
        {
            b.Append("<div class=\"scroll\"><table id=\"rule-list\"><caption class=\"sr-only\">Rules and their state</caption><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Event</th><th scope=\"col\">Condition</th><th scope=\"col\">State</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            foreach (var rule in stored.Select(s => s.Rule).OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                var id = E(rule.Id);
                var state = rule.State ?? "active";
                b.Append(CultureInfo.InvariantCulture, $"<tr data-rule=\"{id}\"><th scope=\"row\">{id}</th><td>{E(rule.EventType)}</td><td><code>{E(rule.Condition ?? "")}</code></td><td><span class=\"badge state-{E(state)}\">{E(state)}</span></td><td class=\"actions\">")
                    .Append(CultureInfo.InvariantCulture, $"<label class=\"sr-only\" for=\"state-{id}\">State of {id}</label><select id=\"state-{id}\" data-state-of=\"{id}\">")
                    .Append(string.Concat(CompiledRule.States.Select(s => $"<option value=\"{s}\"{(s == state ? " selected" : "")}>{s}</option>")))
                    .Append(CultureInfo.InvariantCulture, $"</select><button type=\"button\" data-action=\"set-state\" data-rule=\"{id}\">Set state</button>")
                    .Append(CultureInfo.InvariantCulture, $"<button type=\"button\" data-action=\"edit-rule\" data-rule=\"{id}\">Edit</button><button type=\"button\" data-action=\"rule-history\" data-rule=\"{id}\">History</button></td></tr>");
            }

            b.Append("</tbody></table></div>");
        }

        b.Append("<div id=\"rule-history\" aria-live=\"polite\"></div></section>");
        b.Append("""
            <section aria-labelledby="editor-h"><h2 id="editor-h">Build a rule</h2>
            <form id="rule-form" novalidate>
            <div class="grid">
            <p><label for="rule-id">Rule id</label><input id="rule-id" name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._-]{0,127}" autocomplete="off"></p>
            <p><label for="rule-event">Event type</label><select id="rule-event" name="eventType">
            """);
        foreach (var type in EventTypeNames)
        {
            b.Append(CultureInfo.InvariantCulture, $"<option>{E(type)}</option>");
        }

        b.Append("""
            </select></p>
            <p><label for="rule-state">State</label><select id="rule-state" name="state"><option>active</option><option>shadow</option><option>off</option></select></p>
            <p><label for="rule-priority">Priority</label><select id="rule-priority" name="priority"><option>high</option><option selected>normal</option><option>low</option></select></p>
            <p><label for="rule-cooldown">Cooldown (ISO 8601, optional)</label><input id="rule-cooldown" name="cooldown" placeholder="PT10M"></p>
            <fieldset><legend>Channels</legend><label><input type="checkbox" name="channel" value="push" checked> push</label> <label><input type="checkbox" name="channel" value="inbox" checked> inbox</label></fieldset>
            </div>
            <fieldset id="conditions"><legend>Conditions</legend>
            <p><label for="cond-join">Combine with</label><select id="cond-join"><option value="&&">and (all must hold)</option><option value="||">or (any may hold)</option></select></p>
            <ol id="cond-rows"></ol>
            <button type="button" data-action="add-condition">Add a condition</button>
            </fieldset>
            <p><label for="rule-cel">Condition in CEL (written by the builder; edit it freely)</label>
            <textarea id="rule-cel" name="condition" rows="3" spellcheck="false" aria-describedby="cel-error"></textarea></p>
            <div id="cel-error" class="error" role="alert"></div>
            <fieldset><legend>Template</legend><div class="grid">
            <p><label for="tpl-locale">Locale</label><input id="tpl-locale" value="en" size="5"></p>
            <p><label for="tpl-title">Title</label><input id="tpl-title" value="Watch out, {userid}"></p>
            <p><label for="tpl-body">Body</label><input id="tpl-body" value="HP at {data.hp}"></p></div>
            <p class="hint">Placeholders such as <code>{userid}</code> or <code>{data.hp}</code> come from the event.</p></fieldset>
            <p><label for="rule-events">Sample events (CloudEvents, one JSON object per line)</label>
            <textarea id="rule-events" rows="5" spellcheck="false"></textarea></p>
            <div class="inline"><label for="rule-player">Or the last events of player</label><input id="rule-player" autocomplete="off" aria-describedby="rule-player-hint">
            <button type="button" data-action="player-dry-run">Dry run on the player's last events</button></div>
            <p id="rule-player-hint" class="hint">Loads the player's last 50 events into the sample events (here the replayed ones; in Azure those of the last hour), then runs the dry run.</p>
            <div class="buttons"><button type="button" data-action="dry-run">Preview and dry run</button><button type="button" data-action="save-rule">Save rule</button></div>
            <div id="rule-status" role="status" aria-live="polite"></div>
            <div id="dry-run" aria-live="polite"></div>
            </form></section>
            """);
    }

    private async Task<IActionResult?> FlagsAsync(StringBuilder b, string game, QueryParameters query, CancellationToken ct)
    {
        var reason = query.Value("reason");
        var status = query.Value("status") ?? "open";
        var user = query.Value("userId");
        var (from, to) = query.TimeRange();
        FlagStatus? flagStatus = status switch { "open" => FlagStatus.Open, "resolved" => FlagStatus.Resolved, "dismissed" => FlagStatus.Dismissed, _ => null };
        if (reason is not null && !FraudReasons.DefaultSeverities.ContainsKey(reason))
        {
            query.Errors["reason"] = ["is not a reason code"];
        }

        if (query.Problem() is { } refused)
        {
            return refused;
        }

        var page = await flags.QueryAsync(new FlagQuery { GameId = game, Reason = reason, UserId = user, Status = flagStatus, From = from, To = to, PageSize = 50 }, ct).ConfigureAwait(false);
        b.Append("<h1>Flags</h1><form id=\"flag-filters\" class=\"grid\" hx-get=\"flags\" hx-target=\"#flag-list\" hx-select=\"#flag-list\" hx-swap=\"outerHTML\" hx-push-url=\"true\" hx-trigger=\"change, submit\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"game\" value=\"{E(game)}\">")
            .Append("<p><label for=\"f-reason\">Reason</label><select id=\"f-reason\" name=\"reason\"><option value=\"\">any</option>");
        foreach (var code in FraudReasons.DefaultSeverities.Keys.Order(StringComparer.Ordinal))
        {
            b.Append(CultureInfo.InvariantCulture, $"<option{(code == reason ? " selected" : "")}>{E(code)}</option>");
        }

        b.Append("</select></p><p><label for=\"f-status\">Status</label><select id=\"f-status\" name=\"status\">");
        foreach (var s in new[] { "open", "resolved", "dismissed", "any" })
        {
            b.Append(CultureInfo.InvariantCulture, $"<option{(s == status ? " selected" : "")}>{s}</option>");
        }

        b.Append(CultureInfo.InvariantCulture, $"</select></p><p><label for=\"f-user\">Player</label><input id=\"f-user\" name=\"userId\" value=\"{E(user ?? "")}\"></p>")
            .Append(CultureInfo.InvariantCulture, $"<p><label for=\"f-from\">From (RFC 3339)</label><input id=\"f-from\" name=\"from\" value=\"{(from is { } f ? FlagEvidence.Format(f) : "")}\" placeholder=\"2026-11-01T00:00:00Z\"></p>")
            .Append(CultureInfo.InvariantCulture, $"<p><label for=\"f-to\">To</label><input id=\"f-to\" name=\"to\" value=\"{(to is { } t ? FlagEvidence.Format(t) : "")}\"></p><p><button>Filter</button></p></form>");
        b.Append("<div id=\"flag-list\" aria-live=\"polite\">");
        if (page.Flags.Count == 0)
        {
            b.Append("<p>No flags match.</p>");
        }

        foreach (var flag in page.Flags)
        {
            var id = E(flag.Id);
            b.Append(CultureInfo.InvariantCulture, $"<article class=\"flag\" data-flag=\"{id}\" aria-labelledby=\"flag-{id}\"><h2 id=\"flag-{id}\">{E(flag.Reason)} <span class=\"badge sev\">{E(flag.Severity.ToString().ToLowerInvariant())}</span> <span class=\"badge state-{E(Status(flag.Status))}\">{E(Status(flag.Status))}</span></h2>")
                .Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Player <a href=\"players?game={U(game)}&amp;user={U(flag.UserId)}\">{E(flag.UserId)}</a>, event {E(flag.EventId)} at <time datetime=\"{flag.Time:O}\">{FlagEvidence.Format(flag.Time)}</time></p><ul>");
            foreach (var sentence in FlagEvidence.Describe(flag))
            {
                b.Append("<li>").Append(E(sentence.Text));
                foreach (var link in sentence.Links)
                {
                    b.Append(link.Kind == "ip"
                        ? $" <a href=\"blocklist?game={U(game)}&amp;ip={U(link.Value)}\">What do we know about {E(link.Value)}?</a>"
                        : $" <a href=\"players?game={U(game)}&amp;user={U(link.Value)}\">Player {E(link.Value)}</a>");
                }

                b.Append("</li>");
            }

            b.Append("</ul>");
            if (flag.Status == FlagStatus.Open)
            {
                b.Append(CultureInfo.InvariantCulture, $"<div class=\"review\"><label for=\"comment-{id}\">Comment</label><input id=\"comment-{id}\" data-comment-of=\"{id}\">")
                    .Append(CultureInfo.InvariantCulture, $"<button type=\"button\" data-action=\"review\" data-review=\"resolve\" data-flag=\"{id}\">Resolve</button><button type=\"button\" data-action=\"review\" data-review=\"dismiss\" data-flag=\"{id}\">Dismiss</button></div>");
            }
            else
            {
                b.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{E(Status(flag.Status))} by {E(flag.ResolvedBy ?? "")}{(flag.Comment is { } c ? ": " + E(c) : "")}</p>");
            }

            b.Append("</article>");
        }

        b.Append("</div>");
        return null;
    }

    private async Task BlocklistAsync(StringBuilder b, string? ip, CancellationToken ct)
    {
        var entries = await blocklist.ListAsync(ct).ConfigureAwait(false);
        b.Append("<h1>Blocklist and IP</h1><section aria-labelledby=\"ip-h\"><h2 id=\"ip-h\">What do we know about this address?</h2><form id=\"ip-form\" class=\"inline\">")
            .Append(CultureInfo.InvariantCulture, $"<label for=\"ip-address\">IPv4 or IPv6 address</label><input id=\"ip-address\" name=\"ip\" value=\"{E(ip ?? "")}\" required><button>Look up</button></form>")
            .Append("<div id=\"ip-result\" aria-live=\"polite\"></div></section>");
        b.Append("<section aria-labelledby=\"bl-h\"><h2 id=\"bl-h\">Entries</h2><div class=\"scroll\"><table id=\"blocklist\"><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Range or AS</th><th scope=\"col\">Reason</th><th scope=\"col\">Expires</th><th scope=\"col\">Added by</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
        foreach (var entry in entries.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            var id = E(entry.Id ?? "");
            b.Append(CultureInfo.InvariantCulture, $"<tr data-entry=\"{id}\"><th scope=\"row\">{id}</th><td>{(entry.Cidr is { } cidr ? E(cidr) : "AS" + entry.Asn)}</td><td>{E(entry.Reason)}</td><td>{(entry.Expires is { } x ? FlagEvidence.Format(x) : "never")}</td><td>{E(entry.AddedBy ?? "")}</td><td class=\"actions\">")
                .Append(CultureInfo.InvariantCulture, $"<button type=\"button\" data-action=\"edit-entry\" data-entry=\"{id}\" data-cidr=\"{E(entry.Cidr ?? "")}\" data-asn=\"{entry.Asn}\" data-reason=\"{E(entry.Reason)}\" data-expires=\"{(entry.Expires is { } ex ? ex.ToString("O", CultureInfo.InvariantCulture) : "")}\">Edit</button>")
                .Append(CultureInfo.InvariantCulture, $"<button type=\"button\" data-action=\"remove-entry\" data-entry=\"{id}\">Remove</button></td></tr>");
        }

        b.Append("</tbody></table></div></section>");
        b.Append("""
            <section aria-labelledby="add-h"><h2 id="add-h">Add or edit an entry</h2><form id="entry-form" class="grid">
            <p><label for="entry-id">Entry id</label><input id="entry-id" required></p>
            <p><label for="entry-kind">Kind</label><select id="entry-kind"><option value="cidr">CIDR range</option><option value="asn">AS number</option></select></p>
            <p><label for="entry-value">Range or AS number</label><input id="entry-value" required placeholder="203.0.113.0/24"></p>
            <p><label for="entry-reason">Reason</label><input id="entry-reason" required></p>
            <p><label for="entry-expires">Expires (RFC 3339, optional)</label><input id="entry-expires" placeholder="2027-01-01T00:00:00Z"></p>
            <p><button>Save entry</button></p></form><div id="entry-status" role="status" aria-live="polite"></div></section>
            """);
    }

    private static void Players(StringBuilder b, string? user) =>
        b.Append("""
            <h1>Players</h1>
            <section aria-labelledby="sim-h"><h2 id="sim-h">Players similar to these</h2><form id="similar-form" class="inline">
            <label for="sim-examples">Example players (comma-separated)</label><input id="sim-examples" required>
            <label for="sim-k">How many</label><input id="sim-k" type="number" min="1" max="100" value="10">
            <button>Find similar players</button></form><div id="similar-result" aria-live="polite"></div></section>
            <section aria-labelledby="peer-h"><h2 id="peer-h">A player among their peers</h2><form id="peers-form" class="inline">
            """).Append(CultureInfo.InvariantCulture, $"<label for=\"peer-user\">Player</label><input id=\"peer-user\" required value=\"{E(user ?? "")}\">").Append("""
            <button>Show standing, inbox and experiment</button></form>
            <div id="peers-result" aria-live="polite"></div><div class="chart"><canvas id="peers-chart" role="img" aria-label="Percentile of the player among peers, per feature"></canvas></div>
            <h3>Inbox</h3><div id="inbox-result" aria-live="polite"></div>
            <h3>Stats experiment</h3><div id="experiment-result" aria-live="polite"></div></section>
            """);

    private async Task HealthAsync(StringBuilder b, CancellationToken ct)
    {
        var table = ranges.Table;
        var counted = await failures.CountAsync(time.GetUtcNow() - FailuresAdmin.Window, ct).ConfigureAwait(false);
        b.Append("<h1>Health</h1><section aria-labelledby=\"dep-h\"><h2 id=\"dep-h\">Dependencies</h2><div id=\"health-result\" aria-live=\"polite\"><p>Checking…</p></div></section>")
            .Append("<section aria-labelledby=\"fail-h\"><h2 id=\"fail-h\">Failures of the last day</h2><dl id=\"failures\">")
            .Append(CultureInfo.InvariantCulture, $"<dt>Dead letters written</dt><dd id=\"dead-letters\">{(counted.DeadLettersComplete ? "" : "at least ")}{counted.DeadLetters:N0}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Push requests given up (push-requests-poison)</dt><dd id=\"push-poison\">{(counted.PushPoison is { } poison ? poison.ToString("N0", CultureInfo.InvariantCulture) : "none: no push is sent here")}</dd></dl></section>")
            .Append("<section aria-labelledby=\"rng-h\"><h2 id=\"rng-h\">IP ranges</h2><dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Snapshot in use</dt><dd>{(ReferenceEquals(table, RangeTable.Empty) ? "none yet" : E(table.Version))}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Last refresh taken</dt><dd id=\"range-refresh\">{(ranges.InUseSince is { } since ? since.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "none yet")}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Cloud prefixes</dt><dd>{table.CloudEntryCount:N0}</dd><dt>ASN rows</dt><dd>{table.AsnRowCount:N0}</dd><dt>Blocklist entries</dt><dd>{table.BlocklistEntryCount:N0}</dd></dl></section>");
    }

    private static string Layout(string page, string game, string main)
    {
        var nav = string.Concat(Pages.Select(p =>
            $"<li><a href=\"{p}?game={U(game)}\"{(p == page ? " aria-current=\"page\"" : "")}>{char.ToUpperInvariant(p[0])}{p[1..]}</a></li>"));
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{char.ToUpperInvariant(page[0])}}{{page[1..]}} · GameSignals console</title>
            <link rel="stylesheet" href="assets/console.css"></head>
            <body data-game="{{E(game)}}" data-page="{{page}}">
            <a class="skip" href="#main">Skip to content</a>
            <header><p class="brand">GameSignals</p><nav aria-label="Console"><ul>{{nav}}</ul></nav>
            <form class="game" method="get"><label for="game">Game</label><input id="game" name="game" value="{{E(game)}}" size="10"><button>Open</button></form></header>
            <main id="main" tabindex="-1">{{main}}</main>
            <script src="assets/htmx.min.js"></script><script src="assets/chart.umd.min.js"></script><script src="assets/console.js"></script>
            </body></html>
            """;
    }

    private static string Status(FlagStatus status) => JsonSerializer.Serialize(status).Trim('"');

    private static string E(string text) => Html.Encode(text);

    private static string U(string text) => Uri.EscapeDataString(text);
}
