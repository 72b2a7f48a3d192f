using System.Text.Encodings.Web;
using System.Text.Json;

namespace GameSignals.Cli.Generate;

/// <summary>
/// The configuration a generated stream was made for (contract §3-§5): notification rules, fraud
/// settings with the test keys' public halves, and small IP range sources of <see cref="SyntheticNetwork"/>.
/// </summary>
internal static class SyntheticConfig
{
    /// <summary>The rules of <see cref="Rules"/> as the generator plants events for them: id, game and cooldown.</summary>
    public static readonly PlantedRule LowHpAuto = new("low-hp-auto", "odin", TimeSpan.FromMinutes(5));
    public static readonly PlantedRule DiedPve = new("died-pve", "odin", Cooldown: null);
    public static readonly PlantedRule BigSale = new("big-sale", "ares", TimeSpan.FromMinutes(1));
    public static readonly PlantedRule Boss = new("boss", "ares", Cooldown: null);
    public static readonly PlantedRule[] PlantedRules = [LowHpAuto, DiedPve, BigSale, Boss];

    /// <summary>The device-farm settings of both games in fraud.json.</summary>
    public const int MaxDevicesPerIp = 20;
    public static readonly TimeSpan DeviceFarmWindow = TimeSpan.FromMinutes(10);

    /// <summary>Whether fraud.json blocks logins from cloud ranges in the game.</summary>
    public static bool BlocksCloudProviders(string game) => game == "odin";

    /// <summary>The currencies fraud.json registers for every store.</summary>
    public static readonly string[] RegisteredCurrencies = ["KRW", "USD", "JPY"];

    public const string Rules = """
        {
          "rules": [
            {
              "id": "low-hp-auto", "gameId": "odin", "eventType": "game.character.hp_changed",
              "condition": "data.autoBattle && data.hp * 5 < data.maxHp",
              "cooldown": "PT5M", "cooldownKey": "characterid", "priority": "high", "channels": ["push", "inbox"],
              "templates": {
                "en": { "title": "HP low", "body": "{characterid} has {data.hp}/{data.maxHp} HP" },
                "ko": { "title": "HP 위험", "body": "{characterid} HP {data.hp}/{data.maxHp}" }
              }
            },
            {
              "id": "died-pve", "gameId": "odin", "eventType": "game.character.died",
              "condition": "data.cause != 'pvp'", "priority": "high", "channels": ["push", "inbox"],
              "templates": { "en": { "title": "Character died", "body": "{characterid} died in {data.zone}" } }
            },
            {
              "id": "big-sale", "gameId": "ares", "eventType": "game.market.item_sold",
              "condition": "data.price * data.quantity >= 100000", "cooldown": "PT1M", "priority": "normal", "channels": ["inbox"],
              "templates": {
                "ko": { "title": "판매 완료", "body": "{data.itemName} x{data.quantity}" },
                "en": { "title": "Item sold", "body": "{data.itemName} x{data.quantity}" }
              }
            },
            {
              "id": "boss", "gameId": "ares", "eventType": "game.world.boss_spawned",
              "condition": "has(data.bossLevel) && data.bossLevel >= 50 && data.zone in ['abyss', 'rift']",
              "priority": "normal", "channels": ["push"],
              "templates": { "en": { "title": "Boss", "body": "Level {data.bossLevel} boss in {data.zone}" } }
            }
          ]
        }
        """;

    public static void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var ipRanges = Path.Combine(directory, "ipranges");
        Directory.CreateDirectory(ipRanges);
        File.WriteAllText(Path.Combine(directory, "rules.json"), Rules + "\n");
        File.WriteAllBytes(Path.Combine(directory, "fraud.json"), Fraud());
        File.WriteAllText(Path.Combine(ipRanges, "aws-ip-ranges.json"), SyntheticNetwork.Aws + "\n");
        File.WriteAllText(Path.Combine(ipRanges, "gcp-cloud.json"), SyntheticNetwork.Gcp + "\n");
        File.WriteAllText(Path.Combine(ipRanges, "azure-service-tags.json"), SyntheticNetwork.Azure + "\n");
        File.WriteAllText(Path.Combine(ipRanges, "ip2asn.tsv"), SyntheticNetwork.Ip2Asn);
        File.WriteAllText(Path.Combine(ipRanges, "blocklist.json"), SyntheticNetwork.Blocklist + "\n");
    }

    private static byte[] Fraud()
    {
        using var playKey = TestKeys.CreateGooglePlayKey();
        var publicKey = Convert.ToBase64String(playKey.ExportSubjectPublicKeyInfo());
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("games");
            foreach (var game in new[] { "odin", "ares" })
            {
                writer.WriteStartObject(game);
                writer.WriteBoolean("blockCloudProviders", BlocksCloudProviders(game));
                writer.WriteStartObject("deviceFarm");
                writer.WriteNumber("maxDevicesPerIp", MaxDevicesPerIp);
                writer.WriteString("window", System.Xml.XmlConvert.ToString(DeviceFarmWindow));
                writer.WriteEndObject();
                writer.WriteStartObject("currencies");
                foreach (var store in new[] { "google_play", "app_store", "pc" })
                {
                    writer.WriteStartArray(store);
                    foreach (var currency in RegisteredCurrencies)
                    {
                        writer.WriteStringValue(currency);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                writer.WriteStartObject("catalog");
                foreach (var (product, krw, jpy, usd) in StreamGenerator.Catalog)
                {
                    writer.WriteStartObject(product);
                    writer.WriteNumber("KRW", krw);
                    writer.WriteNumber("USD", usd);
                    writer.WriteNumber("JPY", jpy);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteStartObject("clientSignatures");
                string[] platforms = ["android", "ios", "pc"];
                for (var p = 0; p < platforms.Length; p++)
                {
                    writer.WriteStartArray(platforms[p]);
                    foreach (var signature in StreamGenerator.ClientSignatures[p])
                    {
                        writer.WriteStringValue(signature);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                writer.WriteStartObject("googlePlay");
                writer.WriteString("packageName", $"com.example.{game}");
                writer.WriteString("publicKey", publicKey);
                writer.WriteEndObject();
                writer.WriteStartObject("appStore");
                writer.WriteString("bundleId", $"com.example.{game}");
                writer.WriteStartArray("rootCertificates");
                writer.WriteStringValue(TestKeys.AppStoreRootCertificate);
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}

/// <summary>A notification rule the generator plants matching events and near misses for.</summary>
internal sealed record PlantedRule(string Id, string GameId, TimeSpan? Cooldown);
