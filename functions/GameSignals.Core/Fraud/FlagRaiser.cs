using System.Text.Json;
using System.Text.Json.Nodes;

namespace GameSignals.Fraud;

/// <summary>The event a flag is about.</summary>
internal readonly record struct FlaggedEvent(string GameId, string UserId, string Source, string EventId, DateTimeOffset Time);

/// <summary>
/// Creates flags idempotently and publishes the <c>block</c> ones. A flag is created first, then published,
/// then marked published; a redelivery finding it created but unmarked publishes again (at least once,
/// with the flag id as message id), and one finding it marked publishes nothing. A flag raised again with
/// other evidence gets the new evidence; one whose evidence counts what its check has seen so far gets it only
/// with a higher count.
/// </summary>
internal sealed class FlagRaiser(IFlagStore flags, IFraudActionPublisher actions)
{
    private static readonly Func<JsonElement, JsonElement, bool> Differs = static (stored, raised) => !JsonElement.DeepEquals(stored, raised);

    /// <param name="seenCount">
    /// The evidence's field that counts what the check saw of the shared state (distinct devices, uses of a receipt),
    /// which only grows as the stream arrives: a raise from an older read (another partition's, running at the same
    /// time) has a lower count and leaves the stored evidence alone. Null: the evidence is the event's own facts.
    /// </param>
    public async ValueTask RaiseAsync(FraudPolicy policy, string reason, FlaggedEvent about, JsonObject evidence, CancellationToken cancellationToken, string? seenCount = null)
    {
        var flag = new FraudFlag
        {
            Id = FraudFlag.IdFor(reason, about.Source, about.EventId),
            Reason = reason,
            Severity = policy.SeverityOf(reason),
            GameId = about.GameId,
            UserId = about.UserId,
            Source = about.Source,
            EventId = about.EventId,
            Time = about.Time,
            Evidence = JsonSerializer.SerializeToElement(evidence, FraudJsonContext.Default.JsonObject),
        };

        if (!await flags.CreateAsync(flag, cancellationToken).ConfigureAwait(false))
        {
            var supersedes = seenCount is null ? Differs : (stored, raised) => Count(raised, seenCount) > Count(stored, seenCount);
            var existing = await flags.GetAsync(flag.GameId, flag.Id, cancellationToken).ConfigureAwait(false);
            if (existing is not null && supersedes(existing.Evidence, flag.Evidence))
            {
                // Raised again with other facts: a late event completed them (see IFlagStore.ReplaceEvidenceAsync).
                await flags.ReplaceEvidenceAsync(flag.GameId, flag.Id, flag.Evidence, supersedes, cancellationToken).ConfigureAwait(false);
            }

            if (existing is null || existing.ActionPublished || existing.Severity != FlagSeverity.Block)
            {
                return;
            }

            flag = existing;
        }
        else if (flag.Severity != FlagSeverity.Block)
        {
            return;
        }

        await actions.PublishAsync(flag, cancellationToken).ConfigureAwait(false);
        await flags.MarkActionPublishedAsync(flag.GameId, flag.Id, cancellationToken).ConfigureAwait(false);
    }

    private static long Count(JsonElement evidence, string field) =>
        evidence.ValueKind == JsonValueKind.Object && evidence.TryGetProperty(field, out var count) && count.TryGetInt64(out var value) ? value : long.MinValue;
}
