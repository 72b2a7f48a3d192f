namespace GameSignals.Fraud;

/// <summary>Fraud flags, partitioned by game (a Cosmos container in Azure).</summary>
public interface IFlagStore
{
    /// <summary>Creates the flag; false when a flag with its id exists (a conflict means it is already done).</summary>
    ValueTask<bool> CreateAsync(FraudFlag flag, CancellationToken cancellationToken);

    ValueTask<FraudFlag?> GetAsync(string gameId, string id, CancellationToken cancellationToken);

    ValueTask<FlagPage> QueryAsync(FlagQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves or dismisses an open flag with a comment and who and when, in one conditional write: of two reviews
    /// at the same moment only one lands. Returns the flag as stored afterwards (reviewed by this review, or by the
    /// one that came first); null when there is no such flag.
    /// </summary>
    ValueTask<FraudFlag?> ReviewAsync(string gameId, string id, FlagReview review, CancellationToken cancellationToken);

    /// <summary>Records that the flag's block action was published.</summary>
    ValueTask MarkActionPublishedAsync(string gameId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the evidence of an existing flag when <paramref name="supersedes"/> says the new evidence supersedes
    /// the stored one, judged against the flag as stored at the write (read, judge and replace are one step). Late events
    /// complete the facts behind a flag raised earlier (more devices in a window, an earlier first use of a receipt), and
    /// partitions running at once may raise from an older read after a newer one: judged at the write, the evidence
    /// converges on what the whole stream says whatever the arrival order.
    /// </summary>
    ValueTask ReplaceEvidenceAsync(
        string gameId, string id, System.Text.Json.JsonElement evidence, Func<System.Text.Json.JsonElement, System.Text.Json.JsonElement, bool> supersedes, CancellationToken cancellationToken);
}
