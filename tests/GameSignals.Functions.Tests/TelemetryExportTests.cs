using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GameSignals.Functions.Tests;

/// <summary>
/// In Azure, Application Insights has local auth off: the metric exporter must sign in with the app's
/// identity, or every gamesignals.* metric (and the alerts on them) is refused.
/// </summary>
public sealed class TelemetryExportTests
{
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example.invalid/";

    [Fact]
    public void With_the_Azure_settings_the_exporter_signs_in_with_the_user_assigned_identity()
    {
        var options = ExporterOptions(new()
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString,
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD",
        });

        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    [Fact]
    public void Without_an_authentication_string_the_exporter_has_no_credential()
    {
        var options = ExporterOptions(new() { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ConnectionString });

        Assert.Null(options.Credential);
    }

    [Theory]
    [InlineData("Authorization=AAD")]
    [InlineData("authorization=aad; ClientId=")]
    public void A_system_assigned_identity_is_used_without_a_client_id(string authentication)
    {
        Assert.IsType<ManagedIdentityCredential>(FunctionAppServices.TelemetryCredential(authentication));
    }

    [Fact]
    public void An_authentication_string_that_is_not_Entra_ID_stops_the_app_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionAppServices.TelemetryCredential("Authorization=Key"));

        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", error.Message, StringComparison.Ordinal);
    }

    private static AzureMonitorExporterOptions ExporterOptions(Dictionary<string, string?> telemetrySettings)
    {
        using var provider = new ServiceCollection().AddLogging().AddGameSignalsFunctionApp(SampleSettings.Configuration(telemetrySettings)).BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(FunctionAppServices.MetricExporterName);
    }
}
