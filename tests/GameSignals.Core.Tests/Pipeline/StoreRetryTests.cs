using System.Text;
using GameSignals.Events;
using GameSignals.Pipeline;
using GameSignals.Pipeline.State;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace GameSignals.Core.Tests.Pipeline;

public sealed class StoreRetryTests
{
    private static StoreRetry Retry(int maxAttempts = 6, FakeLogger<StoreRetry>? logger = null, PipelineMetrics? metrics = null, params ITransientFailureClassifier[] classifiers) =>
        new(Options.Create(new StoreRetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.Zero }), classifiers, metrics, TimeProvider.System, logger);

    [Fact]
    public async Task A_transient_failure_is_tried_again_until_the_work_completes()
    {
        using var metrics = new PipelineMetrics();
        using var retries = new MetricCollector<long>(metrics.StoreRetries);
        var attempts = 0;

        var result = await Retry(metrics: metrics).ExecuteAsync<int, string>((_, _) =>
        {
            attempts++;
            return attempts < 3 ? throw new TransientStoreException(TransientFailure.Unavailable, "503") : ValueTask.FromResult("done");
        }, 0, CancellationToken.None);

        Assert.Equal(("done", 3), (result, attempts));
        Assert.Equal(2, retries.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(retries.GetMeasurementSnapshot(), m => Assert.Equal("Unavailable", m.Tags["failure"]));
    }

    [Fact]
    public async Task A_first_attempt_that_fails_after_waiting_is_retried_with_the_same_attempts_and_metrics()
    {
        using var metrics = new PipelineMetrics();
        using var retries = new MetricCollector<long>(metrics.StoreRetries);
        var attempts = 0;

        var thrown = await Assert.ThrowsAsync<TransientStoreException>(async () => await Retry(maxAttempts: 3, metrics: metrics).ExecuteAsync<int>(async (_, _) =>
        {
            attempts++;
            await Task.Yield();
            throw new TransientStoreException(TransientFailure.Throttled, "429");
        }, 0, CancellationToken.None));

        Assert.Equal(3, attempts);
        Assert.Equal(TransientFailure.Throttled, thrown.Failure);
        Assert.Equal(2, retries.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task A_failure_that_outlasts_the_attempts_throws_after_exactly_that_many()
    {
        var attempts = 0;

        var thrown = await Assert.ThrowsAsync<TransientStoreException>(async () => await Retry(maxAttempts: 4).ExecuteAsync<int>((_, _) =>
        {
            attempts++;
            throw new TransientStoreException(TransientFailure.Timeout, "no answer");
        }, 0, CancellationToken.None));

        Assert.Equal(4, attempts);
        Assert.Equal(TransientFailure.Timeout, thrown.Failure);
    }

    [Fact]
    public async Task A_failure_retrying_cannot_fix_is_thrown_at_once()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Retry().ExecuteAsync<int>((_, _) =>
        {
            attempts++;
            throw new InvalidOperationException("a defect");
        }, 0, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task The_server_retry_after_sets_the_wait_and_the_log_says_why()
    {
        var logger = new FakeLogger<StoreRetry>();
        var attempts = 0;

        await Retry(logger: logger).ExecuteAsync<int>((_, _) =>
        {
            attempts++;
            return attempts == 1 ? throw new TransientStoreException(TransientFailure.Throttled, "429 from the ledger", TimeSpan.FromMilliseconds(30)) : ValueTask.CompletedTask;
        }, 0, CancellationToken.None);

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
        Assert.Equal("A store failed transiently (Throttled); attempt 2 in 30 ms: 429 from the ledger", record.Message);
    }

    [Fact]
    public async Task An_sdk_failure_is_retried_when_a_classifier_knows_it()
    {
        var attempts = 0;

        await Retry(classifiers: new StatusClassifier()).ExecuteAsync<int>((_, _) =>
        {
            attempts++;
            return attempts == 1 ? throw new HttpRequestException("gateway", null, System.Net.HttpStatusCode.BadGateway) : ValueTask.CompletedTask;
        }, 0, CancellationToken.None);

        Assert.Equal(2, attempts);
        Assert.Null(Retry().Classify(new HttpRequestException("gateway", null, System.Net.HttpStatusCode.BadGateway)));
    }

    [Fact]
    public async Task A_changelog_append_that_timed_out_after_landing_fails_the_batch_and_its_redelivery_runs_no_stage_again()
    {
        var store = new TimingOutOnceStore(new InMemoryPartitionStateStore());
        var stage = new CountingStage();
        var pipeline = new EventPipeline([stage], TestStates.Over(store), new InMemoryDeadLetterStore(), Retry(), new PipelineMetrics(), TimeProvider.System, NullLogger<EventPipeline>.Instance);
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"a","source":"/s","type":"game.inventory.full","time":"2026-11-01T11:00:00Z","gameid":"g","userid":"u"}""");
        IncomingMessage[] batch = [new IncomingMessage(body, new MessageOrigin("game-events", "0", 1, "100", null))];

        // Not retried in place: a second append would be fenced by the first, which the caller cannot see.
        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ProcessMessagesAsync("game-events", "0", batch, CancellationToken.None).AsTask());
        var redelivered = await pipeline.ProcessMessagesAsync("game-events", "0", batch, CancellationToken.None);

        Assert.Equal((0, 1), (redelivered.Processed, redelivered.Redelivered));
        Assert.Equal((1, 1), (stage.Events, store.Appends));
    }

    private sealed class StatusClassifier : ITransientFailureClassifier
    {
        public (TransientFailure Failure, TimeSpan? RetryAfter)? Classify(Exception exception) =>
            exception is HttpRequestException { StatusCode: System.Net.HttpStatusCode.BadGateway } ? (TransientFailure.Unavailable, null) : null;
    }

    private sealed class CountingStage : IEventStage
    {
        public int Events { get; private set; }

        public string Name => "counting";

        public ValueTask ProcessAsync(EventBatch batch, CancellationToken cancellationToken)
        {
            Events += batch.Events.Count;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The first append is applied, then times out: the caller cannot tell it happened.</summary>
    private sealed class TimingOutOnceStore(InMemoryPartitionStateStore inner) : IPartitionStateStore
    {
        public int Appends { get; private set; }

        public ValueTask<IReadOnlyList<StoredGeneration>> LoadAsync(string hub, string partition, CancellationToken cancellationToken) =>
            inner.LoadAsync(hub, partition, cancellationToken);

        public async ValueTask<ChangelogPosition> AppendAsync(string hub, string partition, ReadOnlyMemory<byte> frame, ChangelogPosition expected, CancellationToken cancellationToken)
        {
            var position = await inner.AppendAsync(hub, partition, frame, expected, cancellationToken);
            return ++Appends == 1 ? throw new TimeoutException("the changelog did not answer in time") : position;
        }

        public ValueTask<ChangelogPosition> StartGenerationAsync(string hub, string partition, long generation, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken) =>
            inner.StartGenerationAsync(hub, partition, generation, snapshot, cancellationToken);
    }
}
