using System.Text.RegularExpressions;

namespace GameSignals.Functions.Tests;

/// <summary>
/// The app settings in Azure (the Bicep's one app-settings block) and locally (local.settings.sample.json)
/// name the same settings, so a setting cannot be forgotten in one place. Connections differ only in
/// form: identity-based in Azure (<c>X__fullyQualifiedNamespace</c>, <c>X__accountName</c>,
/// <c>X__blobServiceUri</c>...), an emulator connection string locally (<c>X</c>).
/// </summary>
public partial class AppSettingsTests
{
    /// <summary>Settings only Azure has, and why.</summary>
    private static readonly Dictionary<string, string> AzureOnly = new(StringComparer.Ordinal)
    {
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Entra ID authentication of telemetry with the managed identity",
        ["AZURE_CLIENT_ID"] = "the user-assigned identity DefaultAzureCredential signs in with; locally the developer's own sign-in",
        ["PartitionStateStorage"] = "the Premium block blob account of the partitions' state; without it (locally) the state shares Storage (Azurite)",
    };

    /// <summary>Settings only local runs have, and why.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new(StringComparer.Ordinal)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "Flex Consumption sets the runtime in functionAppConfig, not in app settings",
        ["Cosmos:Key"] = "the emulator's public key; Azure uses the managed identity",
        ["Cosmos:IsLocalEmulator"] = "Gateway mode and certificate acceptance for the emulator only",
        ["Cosmos:CreateResources"] = "the Bicep creates the containers in Azure; data-plane roles cannot",
    };

    private static readonly string[] IdentitySuffixes = ["fullyQualifiedNamespace", "accountName", "blobServiceUri", "queueServiceUri", "serviceUri", "credential", "clientId"];

    [Fact]
    public void Azure_and_local_settings_name_the_same_settings()
    {
        var azure = Normalise(BicepAppSettingNames()).Except(AzureOnly.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var local = Normalise(LocalSettingNames()).Except(LocalOnly.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Empty(azure.Except(local, StringComparer.OrdinalIgnoreCase).Select(k => $"{k} is set in the Bicep but not in local.settings.sample.json"));
        Assert.Empty(local.Except(azure, StringComparer.OrdinalIgnoreCase).Select(k => $"{k} is in local.settings.sample.json but not set by the Bicep"));
    }

    [Fact]
    public void Azure_settings_hold_no_secret()
    {
        var bicep = BicepAppSettingsBlock();
        Assert.DoesNotMatch(SecretPattern(), bicep);
    }

    private static IEnumerable<string> Normalise(IEnumerable<string> names) => names.Select(name =>
    {
        var key = name.Replace("__", ":", StringComparison.Ordinal);
        var last = key.LastIndexOf(':');
        return last > 0 && IdentitySuffixes.Contains(key[(last + 1)..], StringComparer.OrdinalIgnoreCase) ? key[..last] : key;
    });

    private static List<string> LocalSettingNames()
    {
        return [.. SampleSettings.Values().Keys];
    }

    private static List<string> BicepAppSettingNames()
    {
        var names = BicepSettingLine().Matches(BicepAppSettingsBlock()).Select(m => m.Groups["name"].Value).ToList();
        Assert.NotEmpty(names);
        return names;
    }

    private static string BicepAppSettingsBlock()
    {
        var bicep = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "modules", "functionapp.bicep"));
        var start = bicep.IndexOf("var appSettings = {", StringComparison.Ordinal);
        var end = bicep.IndexOf("// ---- END APP SETTINGS", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "infra/modules/functionapp.bicep has no app-settings block between its markers");
        return bicep[start..end];
    }

    [GeneratedRegex(@"^\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:", RegexOptions.Multiline)]
    private static partial Regex BicepSettingLine();

    [GeneratedRegex(@"(?i)(AccountKey=|SharedAccessKey=|listKeys\(|primaryKey|connectionString\(|SharedAccessSignature)")]
    private static partial Regex SecretPattern();
}
