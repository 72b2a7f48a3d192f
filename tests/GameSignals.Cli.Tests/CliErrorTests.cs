using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GameSignals.Cli.Tests;

/// <summary>Bad arguments and unreadable inputs: exit code 2 and one line on stderr naming the problem.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();

    private static void AssertOneLineError((int ExitCode, string Out, string Error) run, string mentions)
    {
        Assert.Equal(2, run.ExitCode);
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(mentions, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_named_with_exit_code_2()
    {
        AssertOneLineError(await CliRun.RunAsync(["replay", "--events", "x", "--config", "y", "--out", "z", "--frobnicate"]), "--frobnicate");
    }

    [Fact]
    public async Task A_duplicate_window_the_pipeline_refuses_is_named_with_exit_code_2()
    {
        AssertOneLineError(
            await CliRun.RunAsync(["replay", "--events", Path.Combine(RepositoryFiles.Examples, "events.jsonl"), "--config", RepositoryFiles.Examples, "--out", _root, "--duplicate-window", "PT0.5S"]),
            "DuplicateWindow must be from 1 second to 30 days");
    }

    [Fact]
    public async Task A_missing_required_option_is_named_with_exit_code_2()
    {
        AssertOneLineError(await CliRun.RunAsync(["replay", "--config", RepositoryFiles.Examples, "--out", _root]), "--events");
    }

    [Fact]
    public async Task A_ledger_retention_that_is_not_an_ISO_8601_duration_is_named_with_exit_code_2()
    {
        AssertOneLineError(await CliRun.RunAsync(["replay", "--events", "x", "--config", "y", "--out", "z", "--duplicate-window", "7days"]), "7days");
    }

    [Theory]
    [InlineData("--fault-rate", "0.9")]
    [InlineData("--fault-rate", "-0.1")]
    [InlineData("--crash-every", "-1")]
    public async Task A_fault_option_out_of_range_is_named_with_exit_code_2(string option, string value)
    {
        AssertOneLineError(await CliRun.RunAsync(["replay", "--events", "x", "--config", "y", "--out", "z", option, value]), option);
    }

    [Fact]
    public async Task A_negative_demo_warm_up_is_named_with_exit_code_2()
    {
        AssertOneLineError(await CliRun.RunAsync(["demo", "--events", "1000", "--warm-up", "-1"]), "--warm-up must be 0 or more");
    }

    [Fact]
    public async Task A_missing_events_file_is_named_with_exit_code_2()
    {
        var missing = Path.Combine(_root, "no-such-file.jsonl");
        AssertOneLineError(await CliRun.RunAsync(["replay", "--events", missing, "--config", RepositoryFiles.Examples, "--out", Path.Combine(_root, "out")]), missing);
    }

    [Fact]
    public async Task A_config_directory_without_rules_is_named_with_exit_code_2()
    {
        AssertOneLineError(
            await CliRun.RunAsync(["replay", "--events", ExampleReplayFixture.EventsPath, "--config", _root, "--out", Path.Combine(_root, "out")]),
            Path.Combine(_root, "rules.json"));
    }

    [Fact]
    public async Task An_invalid_config_file_is_named_with_its_line_and_exit_code_2()
    {
        var config = Path.Combine(_root, "config");
        Directory.CreateDirectory(Path.Combine(config, "ipranges"));
        File.Copy(Path.Combine(RepositoryFiles.Examples, "rules.json"), Path.Combine(config, "rules.json"));
        File.WriteAllText(Path.Combine(config, "fraud.json"), "{\n  \"games\": {\n    \"odin\": { ,\n  }\n}\n");

        AssertOneLineError(
            await CliRun.RunAsync(["replay", "--events", ExampleReplayFixture.EventsPath, "--config", config, "--out", Path.Combine(_root, "out")]),
            $"{Path.Combine(config, "fraud.json")} line 3:");
    }

    [Fact]
    public async Task A_fraud_config_whose_root_cannot_sign_certificates_is_named_with_the_reason_and_exit_code_2()
    {
        var config = Path.Combine(_root, "config");
        Directory.CreateDirectory(Path.Combine(config, "ipranges"));
        File.WriteAllText(Path.Combine(config, "rules.json"), """{ "rules": [] }""");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=StoreKit Testing in Xcode", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var storeKitTesting = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(Path.Combine(config, "fraud.json"), $$"""
            { "games": { "odin": {
              "deviceFarm": { "maxDevicesPerIp": 5, "window": "PT10M" },
              "currencies": { "app_store": ["USD"] },
              "appStore": { "bundleId": "com.example.odin", "rootCertificates": ["{{Convert.ToBase64String(storeKitTesting.RawData)}}"] } } } }
            """);
        var events = Path.Combine(_root, "events.jsonl");
        File.WriteAllText(events, "{}\n");

        AssertOneLineError(
            await CliRun.RunAsync(["replay", "--events", events, "--config", config, "--out", Path.Combine(_root, "out")]),
            "games.odin.appStore.rootCertificates[0]: cannot sign certificates");
    }

    [Fact]
    public async Task A_bad_line_in_the_stream_is_a_dead_letter_and_not_a_failure()
    {
        var events = Path.Combine(_root, "events.jsonl");
        File.WriteAllLines(events, [File.ReadLines(ExampleReplayFixture.EventsPath).Skip(1).First(), "{ not json", "[1, 2"]);

        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", events, "--config", RepositoryFiles.Examples, "--out", Path.Combine(_root, "out")]);

        Assert.True(code == 0, error);
        Assert.Equal([2, 3], File.ReadAllLines(Path.Combine(_root, "out", "deadletter.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt32()));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
