using System.Text.Json;
using GameSignals.Experiments;
using GameSignals.Fraud;
using GameSignals.Profiles;
using GameSignals.Stats;

namespace GameSignals.Cli.Replay.Outputs;

/// <summary>
/// <c>experiment-arms.jsonl</c> (contract §9): for every game with an experiment, each player with a profile and their arm
/// (<c>gameId, experimentId, userId, arm, bucket</c>), ordered by game then user, so an experiment can be analysed offline.
/// </summary>
internal sealed class ExperimentArmsOutput(InMemoryStatsSettingsStore settings, InMemoryProfileStore profiles) : JsonLinesOutput<ExperimentArmsOutput.Row>(OutputFile)
{
    public const string OutputFile = "experiment-arms.jsonl";

    private readonly List<Row> _rows = [];

    protected override async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        _rows.Clear();
        foreach (var game in settings.All.OrderBy(g => g.GameId, StringComparer.Ordinal))
        {
            if (StatsSettingsValidator.TryCompile(game.GameId, game.Settings, new List<ConfigProblem>())?.Experiment is not { } experiment)
            {
                continue;
            }

            var users = new List<string>();
            await foreach (var profile in profiles.ListByGameAsync(game.GameId, cancellationToken).ConfigureAwait(false))
            {
                users.Add(profile.UserId);
            }

            _rows.AddRange(users.Order(StringComparer.Ordinal).Select(u => new Row(
                game.GameId, experiment.Id, u, ExperimentArms.Of(experiment.Id, u, experiment.TreatmentShare), ExperimentArms.Bucket(experiment.Id, u))));
        }
    }

    protected override IEnumerable<Row> Rows() => _rows;

    protected override void WriteRow(Utf8JsonWriter writer, Row row)
    {
        writer.WriteStartObject();
        writer.WriteString("gameId", row.GameId);
        writer.WriteString("experimentId", row.ExperimentId);
        writer.WriteString("userId", row.UserId);
        writer.WriteString("arm", ExperimentArms.Name(row.Arm));
        writer.WriteNumber("bucket", row.Bucket);
        writer.WriteEndObject();
    }

    internal sealed record Row(string GameId, string ExperimentId, string UserId, Arm Arm, double Bucket);
}

/// <summary>
/// <c>would-have-received.jsonl</c> (contract §9): what control players would have received, in the order of
/// <c>notifications.jsonl</c>: <c>experimentId</c> and the notification's fields with its <c>explanation</c>.
/// </summary>
internal sealed class WouldHaveReceivedOutput(InMemoryWouldHaveReceivedStore records) : JsonLinesOutput<WouldHaveReceived>(OutputFile)
{
    public const string OutputFile = "would-have-received.jsonl";

    protected override IEnumerable<WouldHaveReceived> Rows() =>
        records.All.OrderBy(r => r.Notification.Time).ThenBy(r => r.Notification.EventId, StringComparer.Ordinal).ThenBy(r => r.Notification.RuleId, StringComparer.Ordinal);

    protected override void WriteRow(Utf8JsonWriter writer, WouldHaveReceived row)
    {
        writer.WriteStartObject();
        writer.WriteString("experimentId", row.ExperimentId);
        writer.WritePropertyName("notification");
        row.Notification.WriteReplayLine(writer);
        writer.WriteEndObject();
    }
}

/// <summary>
/// <c>experiment-results.jsonl</c> (contract §9): per game and experiment, retention D1 and D7 and conversion per arm with
/// Wilson 95% intervals, summed over the partitions' counts as the admin API does (<c>GET /api/games/{gameId}/experiments/{experimentId}</c>).
/// </summary>
internal sealed class ExperimentResultsOutput(InMemoryExperimentResultsStore counts) : JsonLinesOutput<ExperimentResults>(OutputFile)
{
    public const string OutputFile = "experiment-results.jsonl";

    private readonly List<ExperimentResults> _rows = [];

    protected override async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        _rows.Clear();
        foreach (var (gameId, experimentId) in counts.Experiments.Order())
        {
            _rows.Add(ExperimentResults.Of(gameId, experimentId, await counts.ListAsync(gameId, experimentId, cancellationToken).ConfigureAwait(false)));
        }
    }

    protected override IEnumerable<ExperimentResults> Rows() => _rows;

    protected override void WriteRow(Utf8JsonWriter writer, ExperimentResults row) => JsonSerializer.Serialize(writer, row, ExperimentJson.Default.ExperimentResults);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ExperimentResults))]
internal sealed partial class ExperimentJson : System.Text.Json.Serialization.JsonSerializerContext;
