using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GameSignals.Cli.Generate;

/// <summary>The arguments of <c>generate</c>.</summary>
internal sealed record GenerateOptions(ulong Seed, int Users, long Events, string OutDirectory, double PoisonRate = 0.001, double DuplicateRate = 0.01, bool Gzip = false);

/// <summary>What <c>generate</c> wrote.</summary>
internal sealed record GenerateResult(string EventsPath, long Lines, long Poison, long Duplicates);

/// <summary>
/// Writes a deterministic synthetic stream: players of several archetypes in sessions over every
/// event type of the contract, a few misbehaving players for each fraud reason, poison lines and
/// producer retries (duplicates) at the given rates. Events are written with one
/// <see cref="Utf8JsonWriter"/> from pre-encoded values; nothing is formatted per event but numbers.
/// </summary>
internal sealed class StreamGenerator : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Games = ["odin", "ares"];
    private static readonly JsonEncodedText[] GameIds = [.. Games.Select(g => JsonEncodedText.Encode(g))];
    private static readonly JsonEncodedText[] GameSources = [.. Games.Select(g => JsonEncodedText.Encode($"/games/{g}/kr-01"))];
    private static readonly JsonEncodedText[] BillingSources = [.. Games.Select(g => JsonEncodedText.Encode($"/billing/{g}"))];
    private static readonly JsonEncodedText[] Platforms = [.. new[] { "android", "ios", "pc" }.Select(p => JsonEncodedText.Encode(p))];
    private static readonly JsonEncodedText[] Stores = [.. new[] { "google_play", "app_store", "pc" }.Select(p => JsonEncodedText.Encode(p))];

    /// <summary>Client signatures allowed per platform (android, ios, pc), also written to fraud.json.</summary>
    public static readonly string[][] ClientSignatures = [[new string('a', 64), "a2" + new string('0', 62)], [new string('b', 64)], [new string('c', 64)]];

    /// <summary>The product catalog, also written to fraud.json: product, then price in KRW, JPY, USD.</summary>
    public static readonly (string Product, decimal Krw, decimal Jpy, decimal Usd)[] Catalog =
    [
        ("gem_100", 1200m, 150m, 0.99m),
        ("gem_1000", 11000m, 1300m, 8.99m),
        ("pass_month", 5500m, 650m, 4.99m),
    ];

    private static readonly string[] Zones = ["forest", "desert", "abyss", "rift", "castle", "swamp"];
    private static readonly string[] Causes = ["monster", "pvp", "fall", "boss", "poison"];
    private static readonly string[] Items = ["Relic", "Sword", "Potion", "Scroll", "Gem"];
    private static readonly JsonEncodedText[] ItemIds = [.. Enumerable.Range(0, 100).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"item-{i}")))];
    private static readonly JsonEncodedText[] ItemNames = [.. Enumerable.Range(0, 100).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"{Items[i % Items.Length]} {i}")))];
    private static readonly JsonEncodedText[] QuestIds = [.. Enumerable.Range(0, 500).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"q-{i}")))];
    private static readonly JsonEncodedText[] FarmDevices = [.. Enumerable.Range(0, 1000).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"farm-dev-{i}")))];

    // Relative weights per archetype of: hp, died, level, pvp, dungeon, quest, sold, inventory full, autobattle stopped, purchase, refund, session end.
    private static readonly double[][] Mix =
    [
        [30, 5, 2, 40, 5, 5, 3, 2, 2, 0.2, 0.01, 5],
        [25, 4, 3, 10, 10, 8, 3, 3, 3, 1.5, 0.1, 5],
        [30, 6, 3, 3, 35, 8, 3, 4, 3, 0.2, 0.01, 5],
        [20, 3, 2, 3, 3, 25, 2, 2, 3, 0.1, 0.01, 15],
        [10, 2, 1, 2, 3, 5, 45, 10, 2, 0.3, 0.02, 8],
    ];

    private static readonly double[] MixTotals = [.. Mix.Select(weights => weights.Sum())];

    private static readonly byte[][] PoisonLines =
    [
        """{"specversion":"1.0","id":"broken","source":"/x","type":"game.session.ended" """u8.ToArray(),
        """{"specversion":"1.0","id":"no-user","source":"/games/odin/kr-01","type":"game.session.ended","time":"2026-11-01T12:30:00.000Z","gameid":"odin","data":{"durationSeconds":5}}"""u8.ToArray(),
        """{"specversion":"0.3","id":"old-spec","source":"/games/odin/kr-01","type":"game.session.ended","time":"2026-11-01T12:30:00.000Z","gameid":"odin","userid":"u-old"}"""u8.ToArray(),
        """{"specversion":"1.0","id":"bad-hp","source":"/games/odin/kr-01","type":"game.character.hp_changed","time":"2026-11-01T12:30:00.000Z","gameid":"odin","userid":"u-bad","data":{"hp":"lots","maxHp":100}}"""u8.ToArray(),
        """{"specversion":"1.0","id":"bad-time","source":"/games/odin/kr-01","type":"game.session.ended","time":"yesterday","gameid":"odin","userid":"u-bad"}"""u8.ToArray(),
        "\"just a string\""u8.ToArray(),
    ];

    private readonly GenerateOptions _options;
    private readonly SplitMix64 _random;
    private readonly Player[] _players;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[][] _recent = new byte[256][];
    private readonly RSA _playKey = TestKeys.CreateGooglePlayKey();
    private readonly byte[] _appStoreHeader;
    private int _recentCount;
    private long _clockMs;
    private long _orders;
    private (string OrderId, int Store, int Product, JsonEncodedText Currency, decimal Price, byte[] Receipt)? _lastPurchase;

    private StreamGenerator(GenerateOptions options)
    {
        _options = options;
        _random = new SplitMix64(options.Seed);
        _writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        _players = [.. Enumerable.Range(0, options.Users).Select(CreatePlayer)];
        var header = $$"""{"alg":"ES256","x5c":["{{TestKeys.AppStoreLeafCertificate}}","{{TestKeys.AppStoreRootCertificate}}"]}""";
        _appStoreHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)));
    }

    public static GenerateResult Run(GenerateOptions options, Action<long> report)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(options.OutDirectory);
        SyntheticConfig.Write(options.OutDirectory);
        var path = Path.Combine(options.OutDirectory, options.Gzip ? "events.jsonl.gz" : "events.jsonl");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var compressed = options.Gzip ? new GZipStream(file, CompressionLevel.Fastest) : null;
        using var output = new BufferedStream(compressed ?? (Stream)file, 1 << 20);
        using var generator = new StreamGenerator(options);
        var (poison, duplicates) = generator.WriteStream(output, report);
        return new GenerateResult(path, options.Events, poison, duplicates);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _playKey.Dispose();
    }

    private (long Poison, long Duplicates) WriteStream(Stream output, Action<long> report)
    {
        long poison = 0, duplicates = 0;
        for (long n = 1; n <= _options.Events; n++)
        {
            _clockMs += _random.NextDouble() < 0.75 ? 1 : 0; // 80,000 events a minute, the origin platform's per-game load
            var roll = _random.NextDouble();
            if (roll < _options.PoisonRate)
            {
                output.Write(_random.Pick(PoisonLines));
                poison++;
            }
            else if (roll < _options.PoisonRate + _options.DuplicateRate && _recentCount > 0)
            {
                // A producer retry: an event sent again, byte for byte, shortly after.
                output.Write(_recent[_random.Next(Math.Min(_recentCount, _recent.Length))]);
                duplicates++;
            }
            else
            {
                _line.ResetWrittenCount();
                _writer.Reset();
                if (_random.NextDouble() < 0.001)
                {
                    WriteBossSpawned();
                }
                else
                {
                    WritePlayerEvent(_players[_random.Next(_players.Length)]);
                }

                _writer.Flush();
                var bytes = _line.WrittenSpan;
                output.Write(bytes);
                _recent[_recentCount++ % _recent.Length] = bytes.ToArray();
            }

            output.WriteByte((byte)'\n');
            if ((n & 0xffff) == 0)
            {
                report(n);
            }
        }

        report(_options.Events);
        return (poison, duplicates);
    }

    private Player CreatePlayer(int index)
    {
        // One player in 25 misbehaves, cycling through the fraud reasons; 30 players near the end share a farm address.
        var misbehaviour = index >= _options.Users - 30 && _options.Users >= 100 ? Misbehaviour.DeviceFarm
            : index % 25 == 24 ? (Misbehaviour)(1 + (index / 25 % 9))
            : Misbehaviour.None;
        var archetype = IsPaymentAbuse(misbehaviour) ? Archetype.Whale : (Archetype)(index % 5);
        var country = SyntheticNetwork.Countries[_random.Next(10) switch { < 7 => 0, < 9 => 1, _ => 2 }];
        var ip = misbehaviour switch
        {
            Misbehaviour.CloudLogin => SyntheticNetwork.CloudIp(_random),
            Misbehaviour.BlockedCidr => SyntheticNetwork.BlockedCidrIp(_random),
            Misbehaviour.BlockedAsn => SyntheticNetwork.BlockedAsnIp(_random),
            Misbehaviour.CountryMismatch => SyntheticNetwork.IspIp(_random, country == "KR" ? "JP" : "KR"),
            Misbehaviour.DeviceFarm => SyntheticNetwork.FarmIp,
            _ when country == "KR" && _random.Next(10) == 0 => SyntheticNetwork.IspIpv6(_random),
            _ => SyntheticNetwork.IspIp(_random, country),
        };
        var userId = string.Create(CultureInfo.InvariantCulture, $"u-{index:D6}");
        var maxHp = 1000 + (500 * _random.Next(8));
        return new Player
        {
            UserId = JsonEncodedText.Encode(userId),
            CharacterId = JsonEncodedText.Encode(userId + "-c0"),
            Game = _random.Next(Games.Length),
            Archetype = archetype,
            Misbehaviour = misbehaviour,
            Ip = JsonEncodedText.Encode(ip),
            DeviceId = JsonEncodedText.Encode("dev-" + userId),
            Platform = _random.Next(misbehaviour == Misbehaviour.InvalidReceipt ? 2 : 3), // receipts exist on mobile stores only
            Locale = JsonEncodedText.Encode(country switch { "KR" => "ko-KR", "JP" => "ja-JP", _ => "en-US" }),
            Country = country,
            Hp = maxHp,
            MaxHp = maxHp,
            Level = 1 + _random.Next(60),
            Rating = 1000 + _random.Next(1500),
        };
    }

    private void WritePlayerEvent(Player player)
    {
        if (!player.InSession)
        {
            WriteSessionStarted(player);
            return;
        }

        // Payment abusers buy often, or their abuse would hardly show in a short stream.
        if (IsPaymentAbuse(player.Misbehaviour) && _random.Next(10) == 0)
        {
            WritePurchase(player);
            return;
        }

        var mix = Mix[(int)player.Archetype];
        var roll = _random.NextDouble() * MixTotals[(int)player.Archetype];
        var kind = 0;
        while (roll >= mix[kind] && kind < mix.Length - 1)
        {
            roll -= mix[kind++];
        }

        switch (kind)
        {
            case 0: WriteHpChanged(player); break;
            case 1: WriteDied(player); break;
            case 2: WriteLevelUp(player); break;
            case 3: WritePvp(player); break;
            case 4: WriteDungeon(player); break;
            case 5: WriteQuest(player); break;
            case 6: WriteItemSold(player); break;
            case 7: WriteInventoryFull(player); break;
            case 8: WriteAutoBattleStopped(player); break;
            case 9: WritePurchase(player); break;
            case 10: WriteRefund(player); break;
            default: WriteSessionEnded(player); break;
        }
    }

    private static bool IsPaymentAbuse(Misbehaviour misbehaviour) =>
        misbehaviour is Misbehaviour.InvalidReceipt or Misbehaviour.PriceMismatch or Misbehaviour.UnregisteredCurrency or Misbehaviour.ReceiptReplay;

    private void WriteSessionStarted(Player player)
    {
        player.InSession = true;
        player.SessionStartMs = _clockMs;
        Begin(player, "game.session.started"u8, payment: false);
        _writer.WriteString("ip"u8, player.Ip);
        if (player.Misbehaviour == Misbehaviour.DeviceFarm)
        {
            // A farm rotates emulated devices on one address.
            _writer.WriteString("deviceId"u8, FarmDevices[_random.Next(FarmDevices.Length)]);
        }
        else
        {
            _writer.WriteString("deviceId"u8, player.DeviceId);
        }

        _writer.WriteString("platform"u8, Platforms[player.Platform]);
        _writer.WriteString("clientVersion"u8, "1.4.2"u8);
        _writer.WriteString("clientSignature"u8, player.Misbehaviour == Misbehaviour.TamperedClient ? "dead" + new string('0', 60) : ClientSignatures[player.Platform][0]);
        _writer.WriteString("locale"u8, player.Locale);
        _writer.WriteString("accountCountry"u8, player.Country);
        End();
    }

    private void WriteSessionEnded(Player player)
    {
        player.InSession = false;
        Begin(player, "game.session.ended"u8, payment: false);
        _writer.WriteNumber("durationSeconds"u8, (_clockMs - player.SessionStartMs) / 1000);
        End();
    }

    private void WriteHpChanged(Player player)
    {
        var inCombat = _random.Next(3) > 0;
        var autoBattle = _random.Next(2) == 0;
        player.Hp = inCombat ? Math.Max(1, player.Hp - _random.Next(player.MaxHp / 4)) : Math.Min(player.MaxHp, player.Hp + _random.Next(player.MaxHp / 2));
        Begin(player, "game.character.hp_changed"u8, payment: false);
        _writer.WriteNumber("hp"u8, player.Hp);
        _writer.WriteNumber("maxHp"u8, player.MaxHp);
        _writer.WriteBoolean("autoBattle"u8, autoBattle);
        _writer.WriteBoolean("inCombat"u8, inCombat);
        _writer.WriteString("zone"u8, _random.Pick(Zones));
        End();
        if (player.Hp * 5 < player.MaxHp && _random.Next(3) == 0)
        {
            player.Hp = player.MaxHp; // a potion, or a respawn
        }
    }

    private void WriteDied(Player player)
    {
        player.Hp = player.MaxHp;
        Begin(player, "game.character.died"u8, payment: false);
        _writer.WriteString("zone"u8, _random.Pick(Zones));
        _writer.WriteString("cause"u8, player.Archetype == Archetype.PvpGrinder && _random.Next(2) == 0 ? "pvp" : _random.Pick(Causes));
        End();
    }

    private void WriteLevelUp(Player player)
    {
        player.Level++;
        Begin(player, "game.character.level_up"u8, payment: false);
        _writer.WriteNumber("level"u8, player.Level);
        End();
    }

    private void WritePvp(Player player)
    {
        var result = _random.Next(5);
        player.Rating += result switch { < 2 => 12, < 4 => -10, _ => 0 };
        Begin(player, "game.pvp.match_ended"u8, payment: false);
        _writer.WriteString("result"u8, result switch { < 2 => "win"u8, < 4 => "loss"u8, _ => "draw"u8 });
        _writer.WriteNumber("rating"u8, player.Rating);
        End();
    }

    private void WriteDungeon(Player player)
    {
        Begin(player, "game.dungeon.cleared"u8, payment: false);
        _writer.WriteString("dungeonId"u8, _random.Pick(Zones));
        _writer.WriteNumber("difficulty"u8, 1 + _random.Next(5));
        _writer.WriteNumber("durationSeconds"u8, 120 + _random.Next(1500));
        End();
    }

    private void WriteQuest(Player player)
    {
        Begin(player, "game.quest.completed"u8, payment: false);
        _writer.WriteString("questId"u8, QuestIds[_random.Next(QuestIds.Length)]);
        _writer.WriteBoolean("main"u8, _random.Next(4) == 0);
        End();
    }

    private void WriteItemSold(Player player)
    {
        var item = _random.Next(ItemIds.Length);
        Begin(player, "game.market.item_sold"u8, payment: false);
        _writer.WriteString("itemId"u8, ItemIds[item]);
        _writer.WriteString("itemName"u8, ItemNames[item]);
        _writer.WriteNumber("quantity"u8, 1 + _random.Next(5));
        _writer.WriteNumber("price"u8, 100 * (1 + _random.Next(player.Archetype == Archetype.Trader ? 600 : 60)));
        End();
    }

    private void WriteInventoryFull(Player player)
    {
        Begin(player, "game.inventory.full"u8, payment: false, withData: false);
        _writer.WriteEndObject();
    }

    private void WriteAutoBattleStopped(Player player)
    {
        Begin(player, "game.autobattle.stopped"u8, payment: false);
        _writer.WriteString("reason"u8, _random.Next(3) switch { 0 => "inventory_full"u8, 1 => "low_hp"u8, _ => "manual"u8 });
        End();
    }

    private void WritePurchase(Player player)
    {
        var replay = player.Misbehaviour == Misbehaviour.ReceiptReplay && _lastPurchase is not null && _lastPurchase.Value.Store != 2;
        var store = replay ? _lastPurchase!.Value.Store : player.Platform;
        var product = replay ? _lastPurchase!.Value.Product : _random.Next(Catalog.Length);
        var (currency, price) = player.Country switch
        {
            "KR" => ("KRW", Catalog[product].Krw),
            "JP" => ("JPY", Catalog[product].Jpy),
            _ => ("USD", Catalog[product].Usd),
        };
        if (player.Misbehaviour == Misbehaviour.UnregisteredCurrency)
        {
            currency = "EUR";
        }
        else if (player.Misbehaviour == Misbehaviour.PriceMismatch)
        {
            price /= 10;
        }

        var orderId = replay ? _lastPurchase!.Value.OrderId : NewOrderId(store);
        var receipt = replay ? _lastPurchase!.Value.Receipt : store switch
        {
            0 => GooglePlayReceipt(orderId, Catalog[product].Product, player.Game, player.Misbehaviour == Misbehaviour.InvalidReceipt),
            1 => AppStoreReceipt(orderId, Catalog[product].Product, player.Game, player.Misbehaviour == Misbehaviour.InvalidReceipt),
            _ => [],
        };
        player.LastOrderId = orderId;
        player.LastStore = store;

        Begin(player, "payment.purchase.completed"u8, payment: true);
        _writer.WriteString("orderId"u8, orderId);
        _writer.WriteString("store"u8, Stores[store]);
        _writer.WriteString("productId"u8, Catalog[product].Product);
        _writer.WriteNumber("price"u8, price);
        _writer.WriteString("currency"u8, currency);
        _writer.WriteString("storeCountry"u8, player.Country);
        _writer.WriteString("ip"u8, player.Ip);
        if (receipt.Length > 0)
        {
            _writer.WritePropertyName("receipt"u8);
            _writer.WriteRawValue(receipt, skipInputValidation: true);
        }

        End();
        if (!replay && store != 2 && player.Misbehaviour == Misbehaviour.None)
        {
            _lastPurchase = (orderId, store, product, JsonEncodedText.Encode(currency), price, receipt);
        }
    }

    private void WriteRefund(Player player)
    {
        if (player.LastOrderId is null)
        {
            WriteQuest(player);
            return;
        }

        Begin(player, "payment.purchase.refunded"u8, payment: true);
        _writer.WriteString("orderId"u8, player.LastOrderId);
        _writer.WriteString("store"u8, Stores[player.LastStore]);
        _writer.WriteString("reason"u8, "customer_request"u8);
        End();
        player.LastOrderId = null;
    }

    private void WriteBossSpawned()
    {
        // A type the contract does not know: accepted and routed to rules only.
        WriteEnvelope(GameSources[1], "game.world.boss_spawned"u8, GameIds[1], JsonEncodedText.Encode("world1"), null);
        _writer.WriteStartObject("data"u8);
        _writer.WriteNumber("bossLevel"u8, 30 + _random.Next(40));
        _writer.WriteString("zone"u8, _random.Pick(Zones));
        End();
    }

    private void Begin(Player player, ReadOnlySpan<byte> type, bool payment, bool withData = true)
    {
        WriteEnvelope(payment ? BillingSources[player.Game] : GameSources[player.Game], type, GameIds[player.Game], player.UserId, payment ? null : player.CharacterId);
        if (withData)
        {
            _writer.WriteStartObject("data"u8);
        }
    }

    private void WriteEnvelope(JsonEncodedText source, ReadOnlySpan<byte> type, JsonEncodedText gameId, JsonEncodedText userId, JsonEncodedText? characterId)
    {
        Span<byte> id = stackalloc byte[36];
        WriteUuid(id);
        _writer.WriteStartObject();
        _writer.WriteString("specversion"u8, "1.0"u8);
        _writer.WriteString("id"u8, id);
        _writer.WriteString("source"u8, source);
        _writer.WriteString("type"u8, type);
        _writer.WriteString("time"u8, Start.AddMilliseconds(_clockMs));
        _writer.WriteString("gameid"u8, gameId);
        _writer.WriteString("userid"u8, userId);
        if (characterId is { } character)
        {
            _writer.WriteString("characterid"u8, character);
        }

        _writer.WriteString("server"u8, "kr-01"u8);
        _writer.WriteString("datacontenttype"u8, "application/json"u8);
    }

    private void End()
    {
        _writer.WriteEndObject();
        _writer.WriteEndObject();
    }

    private void WriteUuid(Span<byte> destination)
    {
        Span<byte> raw = stackalloc byte[16];
        BitConverter.TryWriteBytes(raw, _random.NextUInt64());
        BitConverter.TryWriteBytes(raw[8..], _random.NextUInt64());
        var hex = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                destination[hex++] = (byte)'-';
            }

            destination[hex++] = (byte)"0123456789abcdef"[raw[i] >> 4];
            destination[hex++] = (byte)"0123456789abcdef"[raw[i] & 0xf];
        }
    }

    private string NewOrderId(int store) => store switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"GPA.{3300 + (_orders % 100):D4}-{++_orders:D10}"),
        1 => string.Create(CultureInfo.InvariantCulture, $"{2000000000000000 + ++_orders}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"PC-{++_orders:D10}"),
    };

    /// <summary>A Google Play receipt (contract §2): the signed purchase JSON and its RSA-SHA1 signature; broken on request.</summary>
    private byte[] GooglePlayReceipt(string orderId, string product, int game, bool broken)
    {
        var purchaseData = JsonSerializer.SerializeToUtf8Bytes(new GooglePurchase(orderId, $"com.example.{Games[game]}", product, 1761998400000 + _clockMs, 0, "token-" + orderId), GeneratorJsonContext.Default.GooglePurchase);
        var signature = _playKey.SignData(purchaseData, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        if (broken)
        {
            signature[^1] ^= 0xff;
        }

        return JsonSerializer.SerializeToUtf8Bytes(new GoogleReceipt(Encoding.UTF8.GetString(purchaseData), Convert.ToBase64String(signature)), GeneratorJsonContext.Default.GoogleReceipt);
    }

    /// <summary>An App Store receipt (contract §2): an ES256 JWS with the test chain in x5c; broken on request.</summary>
    private byte[] AppStoreReceipt(string transactionId, string product, int game, bool broken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new AppStoreTransaction(transactionId, transactionId, $"com.example.{Games[game]}", product, 1761998400000 + _clockMs, 1, "Consumable", "Production"), GeneratorJsonContext.Default.AppStoreTransaction);
        var signingInput = Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetString(_appStoreHeader)}.{Base64Url.EncodeToString(payload)}");
        var signature = TestKeys.SignEs256Deterministic(signingInput);
        if (broken)
        {
            signature[^1] ^= 0xff;
        }

        var jws = $"{Encoding.ASCII.GetString(signingInput)}.{Base64Url.EncodeToString(signature)}";
        return JsonSerializer.SerializeToUtf8Bytes(new AppStoreReceiptJson(jws), GeneratorJsonContext.Default.AppStoreReceiptJson);
    }
}
