using System.Text;
using GameSignals.Azure.Cosmos;
using GameSignals.Azure.Fraud;
using GameSignals.Fraud;
using GameSignals.Functions.Fraud;
using GameSignals.Functions.Intake;
using GameSignals.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GameSignals.Functions.Tests.Fraud;

/// <summary>The fraud stage as the app runs it: the Event Hubs function, the real DI composition, the pipeline.</summary>
public sealed class FraudPipelineTests
{
    [Fact]
    public async Task A_login_with_a_tampered_client_raises_a_block_flag_and_publishes_the_action_once()
    {
        await using var app = new FraudApp();
        await app.Configs.SaveAsync("odin", FraudApp.OdinConfig(), null, CancellationToken.None);
        var functions = app.Create<EventHubFunctions>();
        byte[][] bodies = [Login("e1", "u1", "ffff"), Login("e2", "u2", "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1")];

        await functions.GameEventsAsync(bodies, Context());
        await functions.GameEventsAsync(bodies, Context());

        var flag = Assert.Single(app.Flags.All);
        Assert.Equal((FraudReasons.ClientTampered, "u1", "e1", FlagSeverity.Block), (flag.Reason, flag.UserId, flag.EventId, flag.Severity));
        Assert.Equal("ffff", flag.Evidence.GetProperty("clientSignature").GetString());
        Assert.Equal(flag.Id, Assert.Single(app.Actions.Messages).MessageId);
        Assert.True(flag.ActionPublished);
    }

    [Fact]
    public async Task The_app_runs_the_fraud_stage_over_the_Cosmos_stores_and_the_Event_Hubs_publisher()
    {
        await using var app = new FraudApp(inMemoryStores: false);
        var services = app.Services;

        Assert.Contains(services.GetServices<IEventStage>(), s => s is FraudStage);
        Assert.IsType<CosmosFlagStore>(services.GetService<IFlagStore>());
        Assert.IsType<CosmosDeviceSightingStore>(services.GetService<IDeviceSightingStore>());
        Assert.IsType<CosmosReceiptUseStore>(services.GetService<IReceiptUseStore>());
        Assert.IsType<CosmosFraudConfigStore>(services.GetService<IFraudConfigStore>());
        Assert.IsType<EventHubFraudActionPublisher>(services.GetService<IFraudActionPublisher>());
        var containers = services.GetServices<CosmosContainerSpec>().Select(c => c.Name);
        Assert.Superset(new HashSet<string> { "flags", "devicesightings", "receiptuses", "fraudconfig" }, containers.ToHashSet());
    }

    [Fact]
    public void The_Fraud_section_sets_the_stage_options_and_the_core_registration_again_adds_no_second_stage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fraud:SightingRetention"] = "02:00:00",
            ["Fraud:ConfigRefreshInterval"] = "00:01:00",
            ["EventHubs:fullyQualifiedNamespace"] = "gamesignals.servicebus.windows.net",
        }).Build();
        var services = new ServiceCollection().AddLogging();

        services.AddFraudFunctions(configuration).AddFraud();

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<FraudOptions>>().Value;
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromMinutes(1)), (options.SightingRetention, options.ConfigRefreshInterval));
        Assert.Single(services, d => d.ServiceType == typeof(IEventStage) && d.ImplementationType == typeof(FraudStage));
        Assert.IsType<GameSignals.IpRanges.CurrentRangeTable>(provider.GetRequiredService<GameSignals.IpRanges.IIpIntelligence>());
    }

    private static byte[] Login(string id, string user, string signature) => Encoding.UTF8.GetBytes(
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"/games/odin/kr-01","type":"game.session.started","time":"2026-11-01T12:00:02Z","gameid":"odin","userid":"{{{user}}}","data":{"ip":"100.66.100.159","deviceId":"dev-{{{user}}}","platform":"pc","clientVersion":"1.4.2","clientSignature":"{{{signature}}}","locale":"ko-KR","accountCountry":"KR"}}""");

    private static TestFunctionContext Context() => new(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
    {
        ["PartitionContext"] = """{"EventHubName":"game-events","ConsumerGroup":"gamesignals-game","PartitionId":"0"}""",
        ["SystemPropertiesArray"] = """[{"SequenceNumber":1,"Offset":"10","EnqueuedTimeUtc":"2026-11-01T12:00:05Z"},{"SequenceNumber":2,"Offset":"20","EnqueuedTimeUtc":"2026-11-01T12:00:06Z"}]""",
    });
}
