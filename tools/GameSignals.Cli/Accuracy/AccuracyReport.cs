using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Cli.Replay;
using GameSignals.Cli.Replay.Outputs;
using Spectre.Console;

namespace GameSignals.Cli.Accuracy;

/// <summary>
/// A replay's output against the truth of the stream it read: per rule and per fraud reason, the
/// notifications or flags expected, produced, missing (expected, not produced) and extra (produced, not
/// expected, or produced twice); and the dead letters, duplicates and lines against the planted counts.
/// </summary>
internal sealed class AccuracyReport
{
    private const int IdsShown = 3;

    private AccuracyReport(IReadOnlyList<AccuracyRow> notifications, IReadOnlyList<AccuracyRow> flags, IReadOnlyList<CountRow> counts)
    {
        Notifications = notifications;
        Flags = flags;
        Counts = counts;
    }

    public IReadOnlyList<AccuracyRow> Notifications { get; }

    public IReadOnlyList<AccuracyRow> Flags { get; }

    /// <summary>Lines read, dead letters and duplicates: planted against counted by the replay.</summary>
    public IReadOnlyList<CountRow> Counts { get; }

    /// <summary>Nothing missing, nothing extra, and every count as planted.</summary>
    public bool Accurate =>
        Notifications.Concat(Flags).All(r => r.Missing == 0 && r.Extra == 0) && Counts.All(c => c.Expected == c.Produced);

    /// <summary>
    /// <c>accuracy: M of E notifications, M of E flags (P%)</c>, where P is what was right over all that was
    /// expected or produced, rounded down so that one mistake in millions never shows as 100%.
    /// </summary>
    public string Line
    {
        get
        {
            var matched = Notifications.Sum(r => r.Matched) + Flags.Sum(r => r.Matched);
            var all = Notifications.Sum(r => r.Expected + r.Extra) + Flags.Sum(r => r.Expected + r.Extra);
            var percent = all == 0 ? 100 : Math.Floor(matched * 100_000.0 / all) / 1000;
            return string.Create(CultureInfo.InvariantCulture, $"accuracy: {Part(Notifications, "notifications")}, {Part(Flags, "flags")} ({percent:F3}%)");
        }
    }

    public static AccuracyReport Compare(TruthFile truth, string outDirectory, ReplaySummary summary)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(summary);
        var notifications = Rows(truth.Notifications, Produced(Path.Combine(outDirectory, NotificationsOutput.OutputFile), row => row.RuleId));
        var flags = Rows(truth.Flags, Produced(Path.Combine(outDirectory, FlagsOutput.OutputFile), row => row.Reason));
        return new AccuracyReport(notifications, flags,
        [
            new CountRow("lines read", truth.Lines, summary.Events),
            new CountRow("dead letters (poison lines)", truth.Poison, summary.DeadLettered),
            new CountRow("duplicates (resent lines)", truth.Duplicates, summary.Duplicates),
        ]);
    }

    /// <summary>The table, the accuracy line and, when something is wrong, the first event ids missing or extra.</summary>
    public void Render(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table()
            .AddColumn("")
            .AddColumn(new TableColumn("expected").RightAligned())
            .AddColumn(new TableColumn("produced").RightAligned())
            .AddColumn(new TableColumn("missing").RightAligned())
            .AddColumn(new TableColumn("extra").RightAligned())
            .AddColumn(new TableColumn("held by cooldown").RightAligned())
            .AddColumn(new TableColumn("near misses").RightAligned());
        AddGroup(table, "notifications", Notifications);
        AddGroup(table, "flags", Flags);
        foreach (var count in Counts)
        {
            table.AddRow(
                Markup.Escape(count.Name), Number(count.Expected), Number(count.Produced),
                Number(Math.Max(0, count.Expected - count.Produced)), Number(Math.Max(0, count.Produced - count.Expected)), "", "");
        }

        var ansi = console.CreateAnsiConsole();
        ansi.Write(table);
        ansi.WriteLine(Line);
        foreach (var row in Notifications.Concat(Flags))
        {
            Ids(ansi, "missing", row.Name, row.Missing, row.FirstMissing);
            Ids(ansi, "extra", row.Name, row.Extra, row.FirstExtra);
        }
    }

    private static string Part(IReadOnlyList<AccuracyRow> rows, string what)
    {
        var extra = rows.Sum(r => r.Extra);
        var text = string.Create(CultureInfo.InvariantCulture, $"{rows.Sum(r => r.Matched):N0} of {rows.Sum(r => r.Expected):N0} {what}");
        return extra == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text} and {extra:N0} extra");
    }

    private static void AddGroup(Table table, string name, IReadOnlyList<AccuracyRow> rows)
    {
        table.AddRow(
            name, Number(rows.Sum(r => r.Expected)), Number(rows.Sum(r => r.Produced)), Number(rows.Sum(r => r.Missing)), Number(rows.Sum(r => r.Extra)),
            rows.Any(r => r.HeldByCooldown is not null) ? Number(rows.Sum(r => r.HeldByCooldown ?? 0)) : "", Number(rows.Sum(r => r.NearMisses)));
        foreach (var row in rows)
        {
            table.AddRow(
                "  " + Markup.Escape(row.Name), Number(row.Expected), Number(row.Produced), Number(row.Missing), Number(row.Extra),
                row.HeldByCooldown is { } held ? Number(held) : "", Number(row.NearMisses));
        }
    }

    private static void Ids(IAnsiConsole ansi, string what, string name, long count, IReadOnlyList<string> first)
    {
        if (count > 0)
        {
            var more = count > first.Count ? string.Create(CultureInfo.InvariantCulture, $" and {count - first.Count:N0} more") : "";
            ansi.WriteLine($"{what} {name}: {string.Join(", ", first)}{more}");
        }
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>One row per name the truth or the output knows, by name.</summary>
    private static List<AccuracyRow> Rows(SortedDictionary<string, PlantedOutcome> truth, Dictionary<string, List<string>> produced)
    {
        var rows = new List<AccuracyRow>();
        foreach (var name in truth.Keys.Union(produced.Keys).Order(StringComparer.Ordinal))
        {
            var planted = truth.GetValueOrDefault(name);
            var expected = planted?.Expected ?? [];
            var unmatched = expected.ToHashSet(StringComparer.Ordinal);
            var extra = new List<string>();
            var output = produced.GetValueOrDefault(name) ?? [];
            foreach (var eventId in output)
            {
                if (!unmatched.Remove(eventId))
                {
                    extra.Add(eventId);
                }
            }

            var missing = expected.Where(unmatched.Contains).ToList();
            rows.Add(new AccuracyRow(
                name, expected.Count, output.Count, missing.Count, extra.Count, planted?.HeldByCooldown, planted?.NearMisses ?? 0,
                [.. missing.Take(IdsShown)], [.. extra.Take(IdsShown)]));
        }

        return rows;
    }

    /// <summary>The event ids of an output file by rule or reason, in file order; an absent file produced nothing.</summary>
    private static Dictionary<string, List<string>> Produced(string path, Func<OutputRow, string?> nameOf)
    {
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return byName;
        }

        foreach (var line in File.ReadLines(path))
        {
            OutputRow? row;
            try
            {
                row = JsonSerializer.Deserialize(line, AccuracyJsonContext.Default.OutputRow);
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"{path} has a line that is not JSON ({ex.Message}): {line}", ex);
            }

            var name = row is null ? null : nameOf(row);
            if (name is null || row!.EventId is null)
            {
                throw new CliUsageException($"{path} has a line without its name or eventId: {line}");
            }

            if (!byName.TryGetValue(name, out var ids))
            {
                byName[name] = ids = [];
            }

            ids.Add(row.EventId);
        }

        return byName;
    }
}

/// <summary>One rule or fraud reason in <see cref="AccuracyReport"/>, with the first event ids missing and extra.</summary>
internal sealed record AccuracyRow(
    string Name, long Expected, long Produced, long Missing, long Extra, long? HeldByCooldown, long NearMisses,
    IReadOnlyList<string> FirstMissing, IReadOnlyList<string> FirstExtra)
{
    public long Matched => Expected - Missing;
}

/// <summary>A count the generator planted and the count the replay reported.</summary>
internal sealed record CountRow(string Name, long Expected, long Produced);

/// <summary>What the comparison reads of a line of notifications.jsonl (ruleId) or flags.jsonl (reason).</summary>
internal sealed record OutputRow(string? RuleId, string? Reason, string? EventId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OutputRow))]
internal sealed partial class AccuracyJsonContext : JsonSerializerContext;
