using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Tests;

/// <summary>
/// Settings fail fast: a wrong or missing setting stops the host at start, naming the setting, instead of
/// failing on the first event or request that needs it.
/// </summary>
public sealed class SettingsValidationTests
{
    [Fact]
    public void The_sample_local_settings_pass_validation()
    {
        using var host = Host(SampleSettings.Values());

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Push:Provider", "carrier-pigeon", "Push:Provider must be webhook, fcm or off")]
    [InlineData("Push:Webhook:Url", "", "Push:Webhook:Url")]
    [InlineData("Push:Webhook:Url", "ftp://127.0.0.1/push", "Push:Webhook:Url")]
    [InlineData("Push:Webhook:Secret", "", "Push:Webhook:Secret")]
    [InlineData("Push:MaxDequeueCount", "0", "Push:MaxDequeueCount")]
    [InlineData("Cosmos:OperationTimeout", "00:00:00", "Cosmos:OperationTimeout")]
    [InlineData("Cosmos:MaxConcurrency", "0", "Cosmos:MaxConcurrency")]
    [InlineData("PartitionState:DuplicateWindow", "00:00:00", "PartitionState:DuplicateWindow")]
    [InlineData("Fraud:ConfigRefreshInterval", "-00:00:01", "Fraud:ConfigRefreshInterval")]
    [InlineData("Notifications:InboxTtl", "00:00:01", "Notifications:InboxTtl")]
    [InlineData("IpRanges:PointerCheckInterval", "00:00:00", "IpRanges:PointerCheckInterval")]
    [InlineData("IpRanges:Sources:Aws:Url", "ftp://ranges.example/aws.json", "IpRanges:Sources:Aws:Url")]
    [InlineData("IpRanges:MaxShrinkFraction", "1.5", "IpRanges:MaxShrinkFraction")]
    [InlineData("Profiles:WriteConcurrency", "0", "Profiles:WriteConcurrency")]
    [InlineData("Profiles:MaterializeAtMostPerBatch", "0", "Profiles:MaterializeAtMostPerBatch")]
    [InlineData("Profiles:CurrencyRates:EUR", "-1", "Profiles:CurrencyRates:EUR")]
    [InlineData("Profiles:Games", "odin,ar/es", "Profiles:Games: 'ar/es'")]
    public async Task A_wrong_setting_stops_the_host_at_start_naming_the_setting(string setting, string value, string expected)
    {
        var settings = SampleSettings.Values();
        settings[setting] = value;
        using var host = Host(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_Cosmos_endpoint_stops_the_host_naming_it()
    {
        var settings = SampleSettings.Values();
        settings.Remove("Cosmos:AccountEndpoint");
        using var host = Host(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Cosmos:AccountEndpoint is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_wrong_setting_is_reported_not_only_the_first()
    {
        var settings = SampleSettings.Values();
        settings["Push:Provider"] = "fcm";
        settings["Push:Fcm:ServiceAccountJson"] = "";
        using var host = Host(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Push:Fcm:ServiceAccountJson is required when Push:Provider is fcm", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Push:Webhook", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A generic host over the app's composition, as the Functions worker builds one; nothing is started.</summary>
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging().AddGameSignalsFunctionApp(builder.Configuration);
        return builder.Build();
    }
}
