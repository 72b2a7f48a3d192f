using System.CommandLine;
using System.Text.Json;
using GameSignals.Profiles;

namespace GameSignals.Cli.Similar;

/// <summary>
/// <c>similar --state DIR --game GAME --examples USER[,USER...] [--k 10]</c> (contract §6): the players of
/// <c>profiles.jsonl</c> that replay left in DIR most like the examples, as a JSON array best first.
/// </summary>
internal static class SimilarCommand
{
    public static Command Create(CliConsole console)
    {
        var state = new Option<string>("--state") { Description = "the --out directory of a replay", Required = true };
        var game = new Option<string>("--game") { Description = "the game id", Required = true };
        var examples = new Option<string>("--examples") { Description = "comma-separated example user ids", Required = true };
        var k = new Option<int>("--k") { Description = $"how many players, 1 to {SimilarityService.MaxK}", DefaultValueFactory = _ => 10 };
        k.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > SimilarityService.MaxK)
            {
                r.AddError($"--k must be between 1 and {SimilarityService.MaxK}");
            }
        });

        var command = new Command("similar", "Find the players most similar to example players in a replay's profiles.") { state, game, examples, k };
        command.SetAction(async (parse, ct) =>
        {
            var ids = parse.GetRequiredValue(examples).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var results = await FindAsync(parse.GetRequiredValue(state), parse.GetRequiredValue(game), ids, parse.GetValue(k), ct).ConfigureAwait(false);
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(results, SimilarJson.Default.SimilarResultArray)).ConfigureAwait(false);
            return GameSignalsCli.Success;
        });
        return command;
    }

    public static async Task<SimilarResult[]> FindAsync(string stateDirectory, string gameId, IReadOnlyList<string> exampleIds, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exampleIds);
        var path = Path.Combine(stateDirectory, "profiles.jsonl");
        if (!File.Exists(path))
        {
            throw new CliUsageException($"{path} does not exist: run replay with --out {stateDirectory} first");
        }

        if (exampleIds.Count == 0)
        {
            throw new CliUsageException("--examples names no user id");
        }

        var index = new ExactPlayerIndex();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            ProfileRow? row;
            try
            {
                row = JsonSerializer.Deserialize(text, SimilarJson.Default.ProfileRow);
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"{path} line {line}: not a profile row: {ex.Message}", ex);
            }

            if (row is not null && row.GameId == gameId)
            {
                vectors[row.UserId] = row.Vector;
            }
        }

        var unknown = exampleIds.Where(id => !vectors.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliUsageException($"{path}: no profile of game {gameId} for {string.Join(", ", unknown)}");
        }

        var documents = vectors.Select(p => new PlayerDocument(gameId, p.Key, null, 0, null, default, p.Value)).ToList();
        await index.UpsertAsync(documents, cancellationToken).ConfigureAwait(false);
        var centroid = SimilarityService.Centroid([.. exampleIds.Select(id => vectors[id])]);
        var excluded = exampleIds.ToHashSet(StringComparer.Ordinal);
        var hits = await index.SearchAsync(centroid, k + excluded.Count, new PlayerFilter(gameId), cancellationToken).ConfigureAwait(false);
        return [.. hits.Where(h => !excluded.Contains(h.Document.UserId)).Take(k).Select(h => new SimilarResult(h.Document.UserId, Math.Round(h.Score, 6)))];
    }
}

internal sealed record SimilarResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("userId")] string UserId,
    [property: System.Text.Json.Serialization.JsonPropertyName("score")] double Score);

[System.Text.Json.Serialization.JsonSerializable(typeof(SimilarResult[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProfileRow))]
internal sealed partial class SimilarJson : System.Text.Json.Serialization.JsonSerializerContext;
