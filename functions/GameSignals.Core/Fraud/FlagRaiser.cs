using System.Text.Json;
using System.Text.Json.Nodes;

namespace GameSignals.Fraud;

/// <summary>The event a flag is about.</summary>
internal readonly record struct FlaggedEvent(string GameId, string UserId, string Source, string EventId, DateTimeOffset Time);

/// <summary>
/// Creates flags idempotently and publishes the <c>block</c> ones. A flag is created first, then published,
/// then marked published; a redelivery finding it created but unmarked publishes again (at least once,
/// with the flag id as message id), and one finding it marked publishes nothing. A flag raised again with
/// other evidence gets the new evidence.
/// </summary>
internal sealed class FlagRaiser(IFlagStore flags, IFraudActionPublisher actions)
{
    public async ValueTask RaiseAsync(FraudPolicy policy, string reason, FlaggedEvent about, JsonObject evidence, CancellationToken cancellationToken)
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
            var existing = await flags.GetAsync(flag.GameId, flag.Id, cancellationToken).ConfigureAwait(false);
            if (existing is not null && !JsonElement.DeepEquals(existing.Evidence, flag.Evidence))
            {
                // Raised again with other facts: a late event completed them (see IFlagStore.ReplaceEvidenceAsync).
                await flags.ReplaceEvidenceAsync(flag.GameId, flag.Id, flag.Evidence, cancellationToken).ConfigureAwait(false);
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
}
