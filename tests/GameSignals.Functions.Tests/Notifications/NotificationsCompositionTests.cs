using System.Text;
using GameSignals.Azure.Notifications;
using GameSignals.Functions.Intake;
using GameSignals.Notifications;
using GameSignals.Notifications.Push;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Tests.Notifications;

public sealed class NotificationsCompositionTests
{
    [Fact]
    public async Task A_game_batch_with_a_matching_event_creates_a_notification_and_a_push_request()
    {
        using var app = new NotificationsApp();
        await app.Rules.UpsertAsync(NotificationsApp.LongSessionRule(), null, CancellationToken.None);
        byte[][] messages = [.. new[] { NotificationsApp.SessionEnded("e1", "u1", 300), NotificationsApp.SessionEnded("e2", "u1", 10) }.Select(Encoding.UTF8.GetBytes)];

        await app.Create<EventHubFunctions>().GameEventsAsync(messages, EventHubFunctionsTests.Context("game-events", "0", [(1, 10), (2, 20)]));

        var notification = Assert.Single(app.Notifications.All);
        Assert.Equal(("long-session", "e1", "Well played", "u1 played 300 s"), (notification.RuleId, notification.EventId, notification.Title, notification.Body));
        Assert.Equal((int)TimeSpan.FromDays(30).TotalSeconds, notification.Ttl);
        var push = Assert.Single(app.Push.Requests);
        Assert.Equal((notification.Id, "u1", "high"), (push.NotificationId, push.UserId, push.Priority));
    }

    [Fact]
    public void The_notifications_options_come_from_the_Notifications_section()
    {
        using var app = new NotificationsApp(new Dictionary<string, string?> { ["Notifications:InboxTtl"] = "2.00:00:00" });

        Assert.Equal(TimeSpan.FromDays(2), app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.InboxTtl);
    }

    [Fact]
    public void The_sample_settings_compose_the_Cosmos_and_queue_stores_and_the_webhook_provider()
    {
        var configuration = SampleSettings.Configuration();
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(configuration).BuildServiceProvider();

        Assert.IsType<CosmosNotificationStore>(provider.GetRequiredService<INotificationStore>());
        Assert.IsType<CosmosPlayerLocaleStore>(provider.GetRequiredService<IPlayerLocaleStore>());
        Assert.IsType<CosmosRuleStore>(provider.GetRequiredService<IRuleStore>());
        Assert.IsType<StorageQueuePushQueue>(provider.GetRequiredService<IPushQueue>());
        Assert.IsType<WebhookPushProvider>(provider.GetRequiredService<IPushProvider>());
        var containers = provider.GetServices<GameSignals.Azure.Cosmos.CosmosContainerSpec>().Select(c => (c.Name, string.Join(',', c.PartitionKeyPaths)));
        Assert.Superset(new HashSet<(string, string)> { ("notifications", "/userId"), ("locales", "/id"), ("rules", "/gameId") }, containers.ToHashSet());
    }

    [Fact]
    public void An_unknown_push_provider_is_refused_by_name()
    {
        using var app = new NotificationsApp(new Dictionary<string, string?> { ["Push:Provider"] = "carrier-pigeon" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.Services.GetRequiredService<IPushProvider>());
        Assert.Contains("Push:Provider must be webhook, fcm or off", error.Message, StringComparison.Ordinal);
    }
}
