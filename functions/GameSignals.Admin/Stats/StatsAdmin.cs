using System.Text.Json;
using System.Text.Json.Serialization;
using GameSignals.Admin.Http;
using GameSignals.Experiments;
using GameSignals.Fraud;
using GameSignals.Notifications;
using GameSignals.Stats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace GameSignals.Admin.Stats;

/// <summary>
/// Stats among similar players: a game's stats settings (moments, peers, experiment; read with their ETag, replaced under
/// the If-Match policy of <see cref="ETags"/>), an experiment's results summed over every partition, and a player's arm with
/// what they would have received in the control arm.
/// </summary>
public sealed class StatsAdmin(IStatsSettingsStore settings, IExperimentResultsStore results, IWouldHaveReceivedStore wouldHaveReceived)
{
    public async Task<IActionResult> GetSettingsAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var stored = await settings.GetAsync(gameId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return stored is null
            ? Problems.NotFound($"Game '{gameId}' has no stats settings.")
            : AdminJson.WriteVersioned(request, stored.ETag, stored.Settings, StatsAdminJson.Default.GameStatsSettings);
    }

    /// <summary>Replaces the settings after validating them whole.</summary>
    public async Task<IActionResult> PutSettingsAsync(HttpRequest request, string gameId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RouteIds.External(nameof(gameId), gameId) is { } bad)
        {
            return bad;
        }

        var (body, problem) = await Problems.ReadJsonAsync(request, StatsAdminJson.Default.GameStatsSettings).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var problems = new List<ConfigProblem>();
        if (StatsSettingsValidator.TryCompile(gameId, body!, problems) is null)
        {
            var errors = problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
            return Problems.BadRequest($"The stats settings have {problems.Count} problem(s); nothing was saved.", errors);
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var current = await settings.GetAsync(gameId, cancellationToken).ConfigureAwait(false);
        var precondition = ETags.ForWrite(request, current?.ETag, $"The stats settings of game '{gameId}'");
        if (precondition.Problem is not null)
        {
            return precondition.Problem;
        }

        var etag = await settings.SaveAsync(gameId, body!, precondition.ETag, cancellationToken).ConfigureAwait(false);
        return etag is null
            ? Problems.PreconditionFailed("The stats settings changed since they were read; read them again and reapply the change.")
            : AdminJson.WriteVersioned(request, etag, body!, StatsAdminJson.Default.GameStatsSettings, current is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>The experiment's retention and conversion per arm; 404 when no partition has counted it yet.</summary>
    public async Task<IActionResult> GetExperimentAsync(HttpRequest request, string gameId, string experimentId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.Resource(nameof(experimentId), experimentId)) is { } bad)
        {
            return bad;
        }

        var partitions = await results.ListAsync(gameId, experimentId, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return partitions.Count == 0
            ? Problems.NotFound($"Game '{gameId}' has no counts for experiment '{experimentId}' yet.")
            : AdminJson.Write(ExperimentResults.Of(gameId, experimentId, partitions), StatsAdminJson.Default.ExperimentResults);
    }

    /// <summary>The player's arm in the game's experiment (none without one) and what they would have received in the control arm.</summary>
    public async Task<IActionResult> GetPlayerAsync(HttpRequest request, string gameId, string userId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((RouteIds.External(nameof(gameId), gameId) ?? RouteIds.External(nameof(userId), userId)) is { } bad)
        {
            return bad;
        }

        var cancellationToken = request.HttpContext.RequestAborted;
        var stored = await settings.GetAsync(gameId, cancellationToken).ConfigureAwait(false);
        var experiment = stored is null ? null : StatsSettingsValidator.TryCompile(gameId, stored.Settings, [])?.Experiment;
        var records = await wouldHaveReceived.ListAsync(gameId, userId, cancellationToken).ConfigureAwait(false);
        var response = new PlayerExperimentResponse(
            gameId,
            userId,
            experiment?.Id,
            experiment is null ? null : ExperimentArms.Name(ExperimentArms.Of(experiment.Id, userId, experiment.TreatmentShare)),
            experiment is null ? null : ExperimentArms.Bucket(experiment.Id, userId),
            [.. records.Select(r => new WouldHaveReceivedResponse(r.ExperimentId, r.Notification))]);
        return AdminJson.Write(response, StatsAdminJson.Default.PlayerExperimentResponse);
    }
}

/// <summary>A player's arm (null fields when the game has no experiment) and their "would have received" log, oldest first.</summary>
public sealed record PlayerExperimentResponse(string GameId, string UserId, string? ExperimentId, string? Arm, double? Bucket, IReadOnlyList<WouldHaveReceivedResponse> WouldHaveReceived);

public sealed record WouldHaveReceivedResponse(string ExperimentId, Notification Notification);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GameStatsSettings))]
[JsonSerializable(typeof(ExperimentResults))]
[JsonSerializable(typeof(PlayerExperimentResponse))]
internal sealed partial class StatsAdminJson : JsonSerializerContext;
