using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using GameSignals.Events;

namespace GameSignals.Cli.Tests;

/// <summary><c>generate</c>: deterministic, at the requested rates, covering the contract, with receipts that verify.</summary>
public sealed class GenerateTests : IDisposable
{
    private readonly string _root = CliRun.TempDirectory();
    private string _lastReport = "";

    private async Task<string> GenerateAsync(string name, ulong seed, int events = 20_000, double poison = 0.001, double duplicates = 0.01, bool gzip = false)
    {
        var output = Path.Combine(_root, name);
        string[] args = ["generate", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--users", "300", "--events", events.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--out", output, "--poison-rate", poison.ToString(System.Globalization.CultureInfo.InvariantCulture), "--duplicate-rate", duplicates.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var (code, report, error) = await CliRun.RunAsync(gzip ? [.. args, "--gzip"] : args);
        Assert.True(code == 0, error);
        _lastReport = report;
        return output;
    }

    private static (List<GameEvent> Events, List<DeadLetter> Poison) Decode(string directory)
    {
        var events = new List<GameEvent>();
        var poison = new List<DeadLetter>();
        foreach (var line in File.ReadLines(Path.Combine(directory, "events.jsonl")))
        {
            EventDecoder.Decode(Encoding.UTF8.GetBytes(line), new MessageOrigin("test", "0", 0, "", null), events, poison);
        }

        return (events, poison);
    }

    [Fact]
    public async Task The_same_seed_writes_the_same_bytes_and_another_seed_different_ones()
    {
        var first = await GenerateAsync("a", seed: 42);
        var again = await GenerateAsync("b", seed: 42);
        var other = await GenerateAsync("c", seed: 43);

        foreach (var file in new[] { "events.jsonl", "fraud.json", "rules.json", "ipranges/ip2asn.tsv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(again, file)));
        }

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, "events.jsonl")), File.ReadAllBytes(Path.Combine(other, "events.jsonl")));
    }

    [Fact]
    public async Task Poison_and_duplicates_come_at_the_requested_rates()
    {
        const int lines = 20_000;
        var output = await GenerateAsync("rates", seed: 5, lines, poison: 0.02, duplicates: 0.05);

        var (events, poison) = Decode(output);
        var duplicates = events.Count - events.Select(e => e.Key).Distinct().Count();

        Assert.Equal(lines, events.Count + poison.Count);
        Assert.InRange(poison.Count, lines * 0.02 * 0.8, lines * 0.02 * 1.2);
        Assert.InRange(duplicates, lines * 0.05 * 0.8, lines * 0.05 * 1.2);
    }

    [Fact]
    public async Task The_stream_has_every_event_type_of_the_contract_and_an_unknown_one()
    {
        var (events, _) = Decode(await GenerateAsync("types", seed: 9));

        var types = events.Select(e => e.Type).ToHashSet(StringComparer.Ordinal);
        var contractTypes = typeof(EventTypes).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(contractTypes, type => Assert.Contains(type, types));
        Assert.Contains(events, e => e.Payload is null);
        Assert.Contains(events, e => e.Payload is HpChanged { AutoBattle: true } hp && hp.Hp * 5 < hp.MaxHp);
    }

    [Fact]
    public async Task Receipts_verify_with_the_key_material_written_to_fraud_json_except_the_broken_ones()
    {
        var output = await GenerateAsync("receipts", seed: 3, events: 15_000);
        var odin = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "fraud.json"))).RootElement.GetProperty("games").GetProperty("odin");
        using var playKey = RSA.Create();
        playKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(odin.GetProperty("googlePlay").GetProperty("publicKey").GetString()!), out _);
        using var root = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(odin.GetProperty("appStore").GetProperty("rootCertificates")[0].GetString()!));

        var purchases = Decode(output).Events.Select(e => e.Payload).OfType<PurchaseCompleted>().Where(p => p.Receipt.ValueKind == JsonValueKind.Object).ToList();
        var google = purchases.Where(p => p.Store == "google_play").Select(p => VerifiesGoogle(playKey, p.Receipt)).ToList();
        var apple = purchases.Where(p => p.Store == "app_store").Select(p => VerifiesAppStore(root, p.Receipt)).ToList();

        Assert.True(google.Count(valid => valid) > 10 && apple.Count(valid => valid) > 10, $"google {google.Count}, app store {apple.Count}");
        Assert.Contains(false, google.Concat(apple));
    }

    private static bool VerifiesGoogle(RSA key, JsonElement receipt) => key.VerifyData(
        Encoding.UTF8.GetBytes(receipt.GetProperty("purchaseData").GetString()!),
        Convert.FromBase64String(receipt.GetProperty("signature").GetString()!),
        HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    private static bool VerifiesAppStore(X509Certificate2 root, JsonElement receipt)
    {
        var parts = receipt.GetProperty("signedTransaction").GetString()!.Split('.');
        var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])).RootElement;
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(header.GetProperty("x5c")[0].GetString()!));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.True(chain.Build(leaf));
        using var key = leaf.GetECDsaPublicKey()!;
        return key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256);
    }

    [Fact]
    public async Task A_generated_directory_replays_with_the_generated_poison_and_duplicates()
    {
        var output = await GenerateAsync("replayable", seed: 11, events: 10_000, poison: 0.01, gzip: true);
        var generated = System.Text.RegularExpressions.Regex.Match(_lastReport, @"\(([0-9,]+) poison, ([0-9,]+) duplicates\)");
        var (code, _, error) = await CliRun.RunAsync(["replay", "--events", Path.Combine(output, "events.jsonl.gz"), "--config", output, "--out", Path.Combine(output, "out")]);

        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "out", "summary.json"))).RootElement;
        Assert.Equal(10_000, summary.GetProperty("events").GetInt32());
        Assert.Equal(generated.Groups[1].Value, summary.GetProperty("deadLettered").GetInt32().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(generated.Groups[2].Value, summary.GetProperty("duplicates").GetInt32().ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(summary.GetProperty("deadLettered").GetInt32() > 50);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
