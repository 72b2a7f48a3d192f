using System.Text.Json;
using GameSignals.Profiles;

namespace GameSignals.Cli.Replay.Outputs;

/// <summary>
/// <c>profiles.jsonl</c>: <c>gameId, userId, features, vector</c> (contract §6). At the end of the stream it runs
/// the batch step the timer runs in Azure, population statistics per game and the vectors they give.
/// </summary>
internal sealed class ProfilesOutput(InMemoryProfileStore profiles, ProfileIndexer indexer) : JsonLinesOutput<ProfileRow>("profiles.jsonl")
{
    private readonly List<ProfileRow> _rows = [];

    protected override async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        _rows.Clear();
        foreach (var gameId in profiles.GameIds)
        {
            if (await indexer.RefreshGameAsync(gameId, cancellationToken).ConfigureAwait(false) is not { } statistics)
            {
                continue;
            }

            var vectorizer = new ProfileVectorizer(statistics);
            var game = new List<ProfileRow>();
            await foreach (var profile in profiles.ListByGameAsync(gameId, cancellationToken).ConfigureAwait(false))
            {
                game.Add(ProfileRow.From(profile, vectorizer));
            }

            _rows.AddRange(game.OrderBy(r => r.UserId, StringComparer.Ordinal));
        }
    }

    protected override IEnumerable<ProfileRow> Rows() => _rows;

    protected override void WriteRow(Utf8JsonWriter writer, ProfileRow row) => JsonSerializer.Serialize(writer, row, ProfileRowJson.Default.ProfileRow);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ProfileRow))]
internal sealed partial class ProfileRowJson : System.Text.Json.Serialization.JsonSerializerContext;
