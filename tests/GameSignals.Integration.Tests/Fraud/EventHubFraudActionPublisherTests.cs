using System.Text.Json;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using GameSignals.Azure.Fraud;
using GameSignals.Fraud;

namespace GameSignals.Integration.Tests.Fraud;

/// <summary>The publisher through the SDK's mockable producer (no Event Hubs runs here; a mock producer is not disposed, it holds nothing).</summary>
public sealed class EventHubFraudActionPublisherTests
{
    [Fact]
    public async Task A_block_flag_is_sent_as_its_JSON_with_the_flag_id_as_message_id_and_the_user_as_partition_key()
    {
        var producer = new RecordingProducer();
        var publisher = new EventHubFraudActionPublisher(producer);
        var flag = CosmosFraudStoreTests.Flag("e1", "u7", FraudReasons.ClientTampered, DateTimeOffset.Parse("2026-11-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await publisher.PublishAsync(flag, CancellationToken.None);

        var (events, options) = Assert.Single(producer.Sends);
        var sent = Assert.Single(events);
        Assert.Equal(("u7", flag.Id, "application/json"), (options.PartitionKey, sent.MessageId, sent.ContentType));
        using var body = JsonDocument.Parse(sent.EventBody.ToMemory());
        Assert.Equal((flag.Id, "client.tampered", "block"), (body.RootElement.GetProperty("id").GetString(), body.RootElement.GetProperty("reason").GetString(), body.RootElement.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task A_send_failure_reaches_the_caller_so_the_batch_is_retried()
    {
        var publisher = new EventHubFraudActionPublisher(new RecordingProducer { Failure = new EventHubsException(true, "fraud-actions", EventHubsException.FailureReason.ServiceBusy) });

        await Assert.ThrowsAsync<EventHubsException>(() => publisher.PublishAsync(
            CosmosFraudStoreTests.Flag("e1", "u7", FraudReasons.BlockedRange, DateTimeOffset.UnixEpoch), CancellationToken.None).AsTask());
    }

    private sealed class RecordingProducer : EventHubProducerClient
    {
        public List<(List<EventData> Events, SendEventOptions Options)> Sends { get; } = [];

        public Exception? Failure { get; init; }

        public override Task SendAsync(IEnumerable<EventData> eventBatch, SendEventOptions options, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Sends.Add(([.. eventBatch], options));
            return Task.CompletedTask;
        }
    }
}
