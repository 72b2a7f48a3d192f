using System.ComponentModel.DataAnnotations;

namespace GameSignals.Profiles;

/// <summary>Options of the profiles capability.</summary>
public sealed class ProfileOptions : IValidatableObject
{
    /// <summary>
    /// Value of one unit of each currency in the reference currency (USD by default), to add up spend across
    /// stores. Approximate defaults; operators set current rates. A purchase in a currency missing here counts
    /// as a purchase with no spend.
    /// </summary>
    public Dictionary<string, double> CurrencyRates { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = 1, ["EUR"] = 1.08, ["GBP"] = 1.27, ["JPY"] = 0.0067, ["KRW"] = 0.00072,
        ["CNY"] = 0.14, ["TWD"] = 0.031, ["VND"] = 0.000039,
    };

    /// <summary>Attempts at an ETag-guarded write of one profile before the batch fails (and is redelivered).</summary>
    [Range(1, 100, ErrorMessage = "Profiles:MaxWriteAttempts must be from 1 to 100.")]
    public int MaxWriteAttempts { get; set; } = 5;

    /// <summary>
    /// How long, in event time, a player's changes wait in the partition's state before their profile is written (one
    /// read and one write) and re-indexed. Features decay over 7 to 14 days, so four hours move them by under 2%, and
    /// at a player's ~19 events an hour the write costs ~0.03 Cosmos requests per event (infra/README.md); zero writes
    /// every batch's players.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Profiles:MaterializeEvery must be from 0 to 7 days.")]
    public TimeSpan MaterializeEvery { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// How long, in event time, a player whose profile is written must be idle before the partition's state forgets them
    /// (their next event reads the part back from the store, one read): without it a partition holds every player it has
    /// ever seen, and memory, not CPU, sets how many partitions an instance can own (infra/README.md, "Cost").
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Profiles:EvictIdleAfter must be from 1 minute to 30 days.")]
    public TimeSpan EvictIdleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Players materialized by one batch at most; the rest of those due wait for the next batches, oldest first. Players
    /// first seen together fall due together <see cref="MaterializeEvery"/> later (after a start, thousands in a partition),
    /// and writing them all in one batch held that partition's events back: 70 to 90 ms in the demo, seconds against Cosmos
    /// DB. At 8 concurrent writes of about 10 ms, 64 add about 80 ms to a batch; a partition drains thousands in seconds.
    /// With a <see cref="MaterializeEvery"/> of zero every batch writes all its players, as asked, whatever this says:
    /// there the players due are the batch's, and a cap would leave a backlog that grows with every batch.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Profiles:MaterializeAtMostPerBatch must be from 1 to 100,000.")]
    public int MaterializeAtMostPerBatch { get; set; } = 64;

    /// <summary>Players one batch materializes at most: <see cref="MaterializeAtMostPerBatch"/>, unless every batch writes all.</summary>
    internal int BatchMaterializeLimit => MaterializeEvery == TimeSpan.Zero ? int.MaxValue : MaterializeAtMostPerBatch;

    /// <summary>Profiles materialized concurrently.</summary>
    [Range(1, 256, ErrorMessage = "Profiles:WriteConcurrency must be from 1 to 256.")]
    public int WriteConcurrency { get; set; } = 8;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        CurrencyRates.Where(rate => !double.IsFinite(rate.Value) || rate.Value < 0)
            .Select(rate => new ValidationResult($"Profiles:CurrencyRates:{rate.Key} must be a finite number of at least 0.", [nameof(CurrencyRates)]));

    internal double ToReferenceCurrency(decimal? price, string? currency) =>
        price is { } p && currency is not null && CurrencyRates.TryGetValue(currency, out var rate) ? (double)p * rate : 0;
}
