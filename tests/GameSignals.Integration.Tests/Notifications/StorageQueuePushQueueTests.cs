using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using GameSignals.Azure.Notifications;
using GameSignals.Notifications;

namespace GameSignals.Integration.Tests.Notifications;

[Collection(LocalServicesGroup.Name)]
public sealed class StorageQueuePushQueueTests(LocalServices services)
{
    [Fact]
    public async Task A_push_request_is_queued_as_base64_json_creating_the_queue_when_missing()
    {
        var service = new QueueServiceClient(services.StorageConnectionString);
        await service.GetQueueClient(StorageQueuePushQueue.QueueName).DeleteIfExistsAsync();
        var request = new PushRequest("n1", "odin", "u1", "HP low", "c1 has 244/4000 HP", "high");

        await new StorageQueuePushQueue(service).EnqueueAsync(request, CancellationToken.None);

        var message = (await service.GetQueueClient(StorageQueuePushQueue.QueueName).ReceiveMessageAsync()).Value;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        Assert.Equal(request, JsonSerializer.Deserialize(json, NotificationsJsonContext.Default.PushRequest));
    }
}
