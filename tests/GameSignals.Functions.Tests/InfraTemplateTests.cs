using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace GameSignals.Functions.Tests;

/// <summary>
/// Structural rules of the compiled ARM template (<c>bicep build infra/main.bicep</c>) that the Bicep linter
/// cannot see and ARM or Azure Monitor would refuse at the first deployment.
/// </summary>
public sealed class InfraTemplateTests
{
    private static readonly Lazy<List<JsonObject>> Resources = new(CompileResources);

    [SkippableFact]
    public void Publishing_credential_policies_carry_a_location()
    {
        var policies = Of("Microsoft.Web/sites/basicPublishingCredentialsPolicies");

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False(string.IsNullOrEmpty(policy["location"]?.ToString()), $"{policy["name"]} has no location"));
    }

    [SkippableFact]
    public void Metric_alerts_with_several_conditions_name_one_value_per_dimension()
    {
        var multiCondition = Of("Microsoft.Insights/metricAlerts")
            .Where(alert => alert["properties"]?["criteria"]?["allOf"]?.AsArray().Count > 1)
            .ToList();

        Assert.NotEmpty(multiCondition);
        Assert.All(multiCondition, alert =>
        {
            foreach (var criterion in alert["properties"]!["criteria"]!["allOf"]!.AsArray())
            {
                foreach (var dimension in criterion?["dimensions"]?.AsArray() ?? [])
                {
                    Assert.Single(dimension!["values"]!.AsArray());
                }
            }
        });
    }

    [SkippableFact]
    public void Event_Hubs_roles_are_granted_on_single_hubs_never_on_the_namespace()
    {
        var eventHubsRoles = Of("Microsoft.Authorization/roleAssignments")
            .Where(role => role["scope"]?.ToString().Contains("Microsoft.EventHub/namespaces", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(eventHubsRoles);
        // resourceId('Microsoft.EventHub/namespaces/eventhubs', ...) or a literal .../eventhubs/NAME; never the namespace.
        Assert.All(eventHubsRoles, role => Assert.Matches("namespaces/eventhubs'|/eventhubs/", role["scope"]!.ToString()));
    }

    [SkippableFact]
    public void The_app_cannot_manage_the_search_service_itself()
    {
        const string searchServiceContributor = "7ca78c08-252a-4471-8644-bb5ff32d4ba0";
        var template = CompileTemplate().ToJsonString();

        Assert.DoesNotContain(searchServiceContributor, template, StringComparison.OrdinalIgnoreCase);
        var indexManager = Assert.Single(Of("Microsoft.Authorization/roleDefinitions"));
        var actions = indexManager["properties"]!["permissions"]![0]!["actions"]!.AsArray().Select(a => a!.ToString());
        Assert.Equal(["Microsoft.Search/searchServices/indexes/read", "Microsoft.Search/searchServices/indexes/write"], actions.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void The_partition_state_account_is_premium_block_blob_without_keys_and_the_app_gets_blob_data_contributor_on_it_alone()
    {
        const string blobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
        var state = Assert.Single(Of("Microsoft.Storage/storageAccounts"), account => account["kind"]?.ToString() == "BlockBlobStorage");
        var properties = state["properties"]!;

        Assert.Equal((false, "TLS1_2", true), (properties["allowSharedKeyAccess"]!.GetValue<bool>(), properties["minimumTlsVersion"]!.ToString(), properties["supportsHttpsTrafficOnly"]!.GetValue<bool>()));
        var role = Assert.Single(Of("Microsoft.Authorization/roleAssignments"), r => r["scope"]?.ToString().Contains("partitionStateAccountName", StringComparison.Ordinal) == true);
        Assert.Contains("storageBlobDataContributor", role["properties"]!["roleDefinitionId"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains($"'{blobDataContributor}'", File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "modules", "roles.bicep")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Console_sign_in_lets_requests_without_a_session_through_so_function_keys_still_reach_the_admin_API()
    {
        var auth = Assert.Single(Of("Microsoft.Web/sites/config"), config => config["name"]?.ToString().Contains("authsettingsV2", StringComparison.Ordinal) == true);
        var properties = auth["properties"]!;

        Assert.Equal((false, "AllowAnonymous"), (properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>(), properties["globalValidation"]!["unauthenticatedClientAction"]!.ToString()));
        Assert.True(properties["identityProviders"]!["azureActiveDirectory"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("consoleClientId", auth["condition"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_sends_every_failed_invocation_and_the_invocation_counts_the_alerts_read()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "host.json")))!["logging"]!;
        var alerts = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "modules", "alerts.bicep"));

        // Host.Results logs a success at Information and a failure at Error: Error keeps a requests row per failure only.
        Assert.Equal("Error", host["logLevel"]!["Host.Results"]!.ToString());
        var unsampled = host["applicationInsights"]!["samplingSettings"]!["excludedTypes"]!.ToString().Split(';');
        Assert.Contains("Request", unsampled);
        Assert.Contains("Exception", unsampled);
        // ipranges-refresh-stale counts successful runs from the host's aggregates (customMetrics "<function> Successes").
        Assert.Equal("Information", host["logLevel"]!["Host.Aggregator"]!.ToString());
        Assert.Contains("\"IpRangesRefresh Successes\"", alerts, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_always_ready_function_of_the_production_profile_is_a_function_of_the_app()
    {
        // A name that matches no function keeps nothing warm, and the bill and latency the profile assumes do not hold.
        var functions = typeof(FunctionAppServices).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods())
            .Select(method => method.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var profile = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "main.prod.bicepparam"));
        var alwaysReady = Regex.Matches(profile, @"name: 'function:(?<name>[A-Za-z0-9_]+)'").Select(m => m.Groups["name"].Value).ToList();

        Assert.Equal(["GameEvents", "PaymentEvents", "PushSender"], alwaysReady.Order(StringComparer.Ordinal));
        Assert.All(alwaysReady, name => Assert.Contains(name, functions));
    }

    [Fact]
    public void Every_container_with_throughput_of_its_own_in_the_production_profile_exists()
    {
        // A ceiling for a container that is not created is ignored by the template: its share of the estimate is never billed or used.
        var cosmos = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "modules", "cosmos.bicep"));
        var containers = Regex.Matches(cosmos, @"^    name: '(?<name>[a-z]+)'$", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var profile = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "infra", "main.prod.bicepparam"));
        var dedicated = Regex.Match(profile, @"param cosmosDedicatedMaxThroughput = \{(?<body>[^}]*)\}").Groups["body"].Value;
        var named = Regex.Matches(dedicated, @"^\s*(?<name>[a-z]+):", RegexOptions.Multiline).Select(m => m.Groups["name"].Value).ToList();

        Assert.Contains("notifications", containers);
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, containers));
    }

    private static List<JsonObject> Of(string type) =>
        [.. Resources.Value.Where(r => string.Equals(r["type"]?.ToString(), type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Every resource of the template and its nested module deployments (symbolic-name templates keep them in an object).</summary>
    private static List<JsonObject> CompileResources()
    {
        var all = new List<JsonObject>();
        Collect(CompileTemplate(), all);
        return all;
    }

    private static void Collect(JsonObject template, List<JsonObject> into)
    {
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(p => p.Value),
            _ => [],
        };
        foreach (var resource in resources.OfType<JsonObject>())
        {
            into.Add(resource);
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, into);
            }
        }
    }

    private static JsonObject CompileTemplate()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64,
            "the restored Bicep CLI package is the linux-x64 one");
        var packages = typeof(InfraTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        Assert.True(File.Exists(bicep), $"the Bicep CLI is missing at {bicep}: restore the test project");
        if (OperatingSystem.IsLinux())
        {
            // NuGet extracts files without their execute bit.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", Path.Combine(RepositoryFiles.Root, "infra", "main.bicep"), "--stdout" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bicep build failed: {errors.Result}");
        return JsonNode.Parse(json)!.AsObject();
    }
}
