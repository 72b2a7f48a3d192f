using System.Text.Json;
using GameSignals.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GameSignals.Functions.Tests.Notifications;

/// <summary>
/// The function app's real composition (settings of local.settings.sample.json plus the settings given),
/// with the in-memory stores in place of Cosmos, Blob and Queue storage, so functions run without services.
/// </summary>
internal sealed class NotificationsApp : IDisposable
{
    public NotificationsApp(IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration(settings));
        services.UseEmbeddedStores();
        services.Replace(ServiceDescriptor.Singleton<IRuleStore>(Rules));
        services.Replace(ServiceDescriptor.Singleton<INotificationStore>(Notifications));
        services.Replace(ServiceDescriptor.Singleton<IPlayerLocaleStore>(Locales));
        services.Replace(ServiceDescriptor.Singleton<IPushQueue>(Push));
        services.Replace(ServiceDescriptor.Singleton<IShadowNotificationStore>(Shadows));
        services.Replace(ServiceDescriptor.Singleton<IRuleHistoryStore>(History));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public InMemoryRuleStore Rules { get; } = new();

    public InMemoryNotificationStore Notifications { get; } = new();

    public InMemoryPlayerLocaleStore Locales { get; } = new();

    public InMemoryPushQueue Push { get; } = new();

    public InMemoryShadowNotificationStore Shadows { get; } = new();

    public InMemoryRuleHistoryStore History { get; } = new();

    public ServiceProvider Services { get; }

    /// <summary>A function over the app's services; <paramref name="parameters"/> replace services (e.g. a fake logger).</summary>
    public T Create<T>(params object[] parameters) => ActivatorUtilities.CreateInstance<T>(Services, parameters);

    public void Dispose() => Services.Dispose();

    /// <summary>What the stores hold (the rules of these games and their history, every notification, shadow record and push request), as comparable text.</summary>
    public async Task<string> SnapshotAsync(params string[] gameIds)
    {
        var lines = new List<string>();
        foreach (var gameId in gameIds.Distinct(StringComparer.Ordinal))
        {
            var rules = await Rules.ListAsync(gameId, CancellationToken.None);
            lines.AddRange(rules.Select(r => r.ETag + " " + JsonSerializer.Serialize(r.Rule, NotificationsJsonContext.Default.NotificationRule)));
            foreach (var rule in rules)
            {
                var history = await History.ListAsync(gameId, rule.Rule.Id, 100, null, CancellationToken.None);
                lines.AddRange(history.Items.Select(c => JsonSerializer.Serialize(c, NotificationsJsonContext.Default.RuleChange)));
            }
        }

        lines.AddRange(Notifications.All.Select(n => JsonSerializer.Serialize(n, NotificationsJsonContext.Default.Notification)));
        lines.AddRange(Shadows.All.Select(r => JsonSerializer.Serialize(r, NotificationsJsonContext.Default.ShadowRecord)));
        lines.AddRange(Push.Requests.Select(p => JsonSerializer.Serialize(p, NotificationsJsonContext.Default.PushRequest)));
        return string.Join('\n', lines);
    }

    /// <summary>A rule as an operator writes it: on <c>game.session.ended</c> longer than a minute, push and inbox.</summary>
    public static NotificationRule LongSessionRule(string gameId = "odin", string id = "long-session", string? cooldown = null) => new()
    {
        Id = id, GameId = gameId, EventType = "game.session.ended", Condition = "data.durationSeconds > 60", Cooldown = cooldown,
        Priority = "high", Channels = ["push", "inbox"],
        Templates = [new RuleTemplate("en", "Well played", "{userid} played {data.durationSeconds} s"), new RuleTemplate("ko", "수고했어요", "{data.durationSeconds}초")],
    };

    public static string SessionEnded(string id, string user, int seconds, string time = "2026-11-01T12:00:00Z", string game = "odin") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"/games/{{{game}}}/kr-01","type":"game.session.ended","time":"{{{time}}}","gameid":"{{{game}}}","userid":"{{{user}}}","data":{"durationSeconds":{{{seconds}}}}}""";

    public static string SessionStarted(string id, string user, string locale, string time = "2026-11-01T11:00:00Z") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"/games/odin/kr-01","type":"game.session.started","time":"{{{time}}}","gameid":"odin","userid":"{{{user}}}","data":{"locale":"{{{locale}}}","platform":"pc","clientVersion":"1.0","ip":"203.0.113.5","deviceId":"d1"}}""";
}
