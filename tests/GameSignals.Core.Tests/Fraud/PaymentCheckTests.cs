using GameSignals.Fraud;
using GameSignals.Pipeline;
using Microsoft.Extensions.Options;

namespace GameSignals.Tests.Fraud;

public sealed class PaymentCheckTests
{
    [Fact]
    public async Task A_pc_purchase_at_the_catalog_price_raises_nothing()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Purchase("p1", "u1", "o1", price: 1200m),
            FraudHarness.Purchase("p2", "u2", "o2", product: "gem_1000", price: 8.990m, currency: "USD"));

        Assert.Empty(harness.Flags.All);
    }

    [Fact]
    public async Task A_currency_not_registered_for_the_store_is_flagged_and_not_also_priced()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Purchase("p1", "u1", "o1", price: 1m, currency: "EUR"));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.UnregisteredCurrency, FlagSeverity.Block), (flag.Reason, flag.Severity));
        Assert.Equal("EUR", flag.Evidence.GetProperty("currency").GetString());
        Assert.Equal(["JPY", "KRW", "USD"], flag.Evidence.GetProperty("registeredCurrencies").EnumerateArray().Select(c => c.GetString()).ToList());
    }

    [Fact]
    public async Task A_price_differing_from_the_catalog_is_flagged_with_expected_and_seen_prices()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(FraudHarness.Purchase("p1", "u1", "o1", price: 1199.99m));

        var flag = Assert.Single(harness.Flags.All);
        Assert.Equal((FraudReasons.PriceMismatch, FlagSeverity.Review), (flag.Reason, flag.Severity));
        Assert.Equal(1200m, flag.Evidence.GetProperty("expectedPrice").GetDecimal());
        Assert.Equal(1199.99m, flag.Evidence.GetProperty("seenPrice").GetDecimal());
    }

    [Fact]
    public async Task A_product_or_currency_missing_from_the_catalog_is_a_price_mismatch()
    {
        var harness = await FraudHarness.CreateAsync(game => game["catalog"]!["gem_100"]!.AsObject().Remove("JPY"));

        await harness.ProcessAsync(
            FraudHarness.Purchase("p1", "u1", "o1", product: "gem_9999", price: 1200m),
            FraudHarness.Purchase("p2", "u2", "o2", product: "gem_100", price: 150m, currency: "JPY"));

        var flags = harness.FlagsFor(FraudReasons.PriceMismatch);
        Assert.Equal(["p1", "p2"], flags.Select(f => f.EventId).Order().ToList());
        Assert.All(flags, f => Assert.False(f.Evidence.GetProperty("inCatalog").GetBoolean()));
    }

    [Fact]
    public async Task A_purchase_from_a_blocklisted_ip_is_flagged_but_a_cloud_ip_is_not_a_purchase_reason()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Purchase("p1", "u1", "o1", ip: "192.0.2.7"),
            FraudHarness.Purchase("p2", "u2", "o2", ip: "203.0.113.9"),
            FraudHarness.Purchase("p3", "u3", "o3", ip: "198.18.1.1"));

        Assert.Equal(
            [(FraudReasons.BlockedAsn, "p2"), (FraudReasons.BlockedRange, "p1")],
            harness.Flags.All.Select(f => (f.Reason, f.EventId)).Order().ToList());
    }

    [Fact]
    public async Task Every_use_of_a_store_order_but_the_earliest_is_a_replay_even_when_the_earliest_arrives_last()
    {
        var harness = await FraudHarness.CreateAsync();
        var t = FraudHarness.T0;

        await harness.ProcessAsync(FraudHarness.Purchase("p3", "u3", "o1", time: t.AddMinutes(3)));
        await harness.ProcessAsync(FraudHarness.Purchase("p2", "u2", "o1", time: t.AddMinutes(2)));
        Assert.Equal(["p3"], harness.FlagsFor(FraudReasons.ReceiptReplay).Select(f => f.EventId).ToList());

        await harness.ProcessAsync(FraudHarness.Purchase("p1", "u1", "o1", time: t.AddMinutes(1)));

        var flags = harness.FlagsFor(FraudReasons.ReceiptReplay);
        Assert.Equal([("p2", "u2"), ("p3", "u3")], flags.Select(f => (f.EventId, f.UserId)).Order().ToList());
        Assert.All(flags, f => Assert.Equal(FlagSeverity.Block, f.Severity));
        Assert.Equal("p1", flags.Single(f => f.EventId == "p2").Evidence.GetProperty("firstUseEventId").GetString());
        Assert.Equal("o1", flags[0].Evidence.GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task Uses_at_the_same_time_are_ordered_by_event_id_and_other_stores_orders_are_separate()
    {
        var harness = await FraudHarness.CreateAsync();

        await harness.ProcessAsync(
            FraudHarness.Purchase("b", "u1", "o1"),
            FraudHarness.Purchase("a", "u2", "o1"),
            FraudHarness.Purchase("c", "u3", "o1", store: "google_play", receiptJson: "{}"));

        Assert.Equal("b", Assert.Single(harness.FlagsFor(FraudReasons.ReceiptReplay)).EventId);
    }

    [Fact]
    public async Task Instances_recording_uses_of_one_order_at_once_lose_none()
    {
        var harness = await FraudHarness.CreateAsync();
        var purchases = Enumerable.Range(0, 12)
            .Select(i => FraudHarness.Purchase("p" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), "u" + i, "o1", time: FraudHarness.T0.AddSeconds(i)))
            .ToList();

        await Task.WhenAll(purchases.Select(p => Task.Run(() => harness.ProcessAsync(p))));

        var uses = await harness.ReceiptUses.GetAsync("pc", "o1", CancellationToken.None);
        Assert.Equal(12, uses!.Uses.Count);
        Assert.Equal(purchases.Skip(1).Select(p => p.Id), harness.FlagsFor(FraudReasons.ReceiptReplay).Select(f => f.EventId).Order());
    }

    [Fact]
    public async Task A_redelivered_purchase_batch_creates_no_second_flag_and_publishes_nothing_again()
    {
        var harness = await FraudHarness.CreateAsync();
        var batch = new[] { FraudHarness.Purchase("p1", "u1", "o1"), FraudHarness.Purchase("p2", "u2", "o1", currency: "EUR") };

        await harness.ProcessAsync(batch);
        var flags = harness.Flags.All;
        var messages = harness.Actions.Messages.Count;
        await harness.ProcessAsync(batch);

        Assert.Equal(2, flags.Count);
        Assert.Equal(flags, harness.Flags.All);
        Assert.Equal(2, messages);
        Assert.Equal(messages, harness.Actions.Messages.Count);
    }

    [Fact]
    public async Task A_publish_that_times_out_is_retried_within_the_batch_and_published_once()
    {
        var publisher = new FailingOncePublisher(new TimeoutException("hub did not answer"));
        var (harness, stage) = await WithPublisherAsync(publisher);

        await stage.ProcessAsync(Batch, CancellationToken.None);

        Assert.Equal(Assert.Single(harness.Flags.All).Id, Assert.Single(publisher.Published).Id);
        Assert.True(harness.Flags.All[0].ActionPublished);
    }

    [Fact]
    public async Task A_publish_that_failed_for_good_is_retried_when_the_batch_is_redelivered()
    {
        var publisher = new FailingOncePublisher(new InvalidOperationException("hub refused the connection"));
        var (harness, stage) = await WithPublisherAsync(publisher);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await stage.ProcessAsync(Batch, CancellationToken.None));
        Assert.False(Assert.Single(harness.Flags.All).ActionPublished);
        await stage.ProcessAsync(Batch, CancellationToken.None);
        await stage.ProcessAsync(Batch, CancellationToken.None);

        Assert.Equal(Assert.Single(harness.Flags.All).Id, Assert.Single(publisher.Published).Id);
        Assert.True(harness.Flags.All[0].ActionPublished);
    }

    private static Pipeline.EventBatch Batch => new("payment-events", "0", [FraudHarness.Purchase("p1", "u1", "o1", currency: "EUR")], TestStates.Fresh("payment-events"));

    private static async Task<(FraudHarness Harness, FraudStage Stage)> WithPublisherAsync(IFraudActionPublisher publisher)
    {
        var harness = await FraudHarness.CreateAsync();
        var stage = new FraudStage(
            harness.Cache, GameSignals.Core.Tests.IpRanges.ExampleRanges.Table, harness.Sightings, harness.ReceiptUses, harness.Flags, publisher,
            new StoreRetry(Options.Create(new StoreRetryOptions { BaseDelay = TimeSpan.Zero })),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<FraudStage>.Instance);
        return (harness, stage);
    }

    private sealed class FailingOncePublisher(Exception failure) : IFraudActionPublisher
    {
        private bool _failed;

        public List<FraudFlag> Published { get; } = [];

        public ValueTask PublishAsync(FraudFlag flag, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw failure;
            }

            Published.Add(flag);
            return ValueTask.CompletedTask;
        }
    }
}
