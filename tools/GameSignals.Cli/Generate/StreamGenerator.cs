using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GameSignals.Cli.Accuracy;
using GameSignals.Fraud;

namespace GameSignals.Cli.Generate;

/// <summary>The arguments of <c>generate</c>.</summary>
internal sealed record GenerateOptions(ulong Seed, int Users, long Events, string OutDirectory, double PoisonRate = 0.001, double DuplicateRate = 0.01, bool Gzip = false);

/// <summary>What <c>generate</c> wrote.</summary>
internal sealed record GenerateResult(string EventsPath, string TruthPath, long Lines, long Poison, long Duplicates);

/// <summary>
/// Writes a deterministic synthetic stream: players of several archetypes in sessions over every
/// event type of the contract, a few misbehaving players for each fraud reason, poison lines and
/// producer retries (duplicates) at the given rates. Events are written with one
/// <see cref="Utf8JsonWriter"/> from pre-encoded values; nothing is formatted per event but numbers.
/// </summary>
/// <remarks>
/// Every outcome is decided, not left to chance: a writer first chooses whether its event matches a
/// rule, narrowly misses it or is ordinary, and which abuse a login or purchase carries, then picks values
/// that make it so and tells <see cref="PlantedTruth"/>, which writes <c>truth.json</c> beside the stream.
/// </remarks>
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
    private static readonly string[] PveCauses = ["monster", "fall", "boss", "poison"];
    private static readonly string[] BossZones = ["abyss", "rift"];
    private static readonly string[] OtherZones = ["forest", "desert", "castle", "swamp"];
    private static readonly PlayerRole[] Roles = [.. Enum.GetValues<PlayerRole>().Where(r => r != PlayerRole.None)];
    private static readonly string[] Items = ["Relic", "Sword", "Potion", "Scroll", "Gem"];
    private static readonly JsonEncodedText[] ItemIds = [.. Enumerable.Range(0, 100).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"item-{i}")))];
    private static readonly JsonEncodedText[] ItemNames = [.. Enumerable.Range(0, 100).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"{Items[i % Items.Length]} {i}")))];
    private static readonly JsonEncodedText[] QuestIds = [.. Enumerable.Range(0, 500).Select(i => JsonEncodedText.Encode(string.Create(CultureInfo.InvariantCulture, $"q-{i}")))];
    private static readonly string[] FarmDevices = [.. Enumerable.Range(0, 1000).Select(i => string.Create(CultureInfo.InvariantCulture, $"farm-dev-{i}"))];
    private static readonly string[] CafeTerminals = [.. Enumerable.Range(0, SyntheticConfig.MaxDevicesPerIp).Select(i => string.Create(CultureInfo.InvariantCulture, $"cafe-pc-{i}"))];

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
    private readonly PlantedTruth _truth = new();
    private readonly PlantedPurchase?[] _lastPurchase = new PlantedPurchase?[Games.Length];
    private int _recentCount;
    private long _clockMs;
    private long _orders;

    // The event being written: its id, and its time (the clock, unless a receipt replay copies an earlier purchase's).
    private EventId _eventId;
    private long _eventTimeMs;

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
        var truthPath = Path.Combine(options.OutDirectory, TruthFile.FileName);
        generator._truth.Finish(options.Seed, options.Events, poison, duplicates).Write(truthPath);
        return new GenerateResult(path, truthPath, options.Events, poison, duplicates);
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
            _eventTimeMs = _clockMs;
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
        // Every spacing-th player has a role, cycling through them, so that even 100 players cover every fraud reason.
        var spacing = Math.Clamp(_options.Users / Roles.Length, 1, 25);
        var role = index % spacing == spacing - 1 ? Roles[index / spacing % Roles.Length] : PlayerRole.None;
        var archetype = IsPaymentAbuse(role) ? Archetype.Whale : (Archetype)(index % 5);
        var country = SyntheticNetwork.Countries[_random.Next(10) switch { < 7 => 0, < 9 => 1, _ => 2 }];
        var address = role switch
        {
            PlayerRole.CloudLogin => SyntheticNetwork.CloudIp(_random),
            PlayerRole.BlockedCidr => SyntheticNetwork.BlockedCidrIp(_random),
            PlayerRole.BlockedAsn => SyntheticNetwork.BlockedAsnIp(_random),
            PlayerRole.CountryMismatch => SyntheticNetwork.IspIp(_random, country == "KR" ? "JP" : "KR"),
            PlayerRole.DeviceFarm => SyntheticNetwork.Farm,
            PlayerRole.InternetCafe => SyntheticNetwork.InternetCafe,
            _ => _random.Next(50) switch
            {
                0 => SyntheticNetwork.UnmappedIp(_random), // travelling on a network the ASN data does not know
                < 6 when country == "KR" => SyntheticNetwork.IspIpv6(_random),
                _ => SyntheticNetwork.IspIp(_random, country),
            },
        };
        var userId = string.Create(CultureInfo.InvariantCulture, $"u-{index:D6}");
        var maxHp = 1000 + (500 * _random.Next(8));
        return new Player
        {
            UserIdText = userId,
            UserId = JsonEncodedText.Encode(userId),
            CharacterIdText = userId + "-c0",
            CharacterId = JsonEncodedText.Encode(userId + "-c0"),
            Game = role switch
            {
                PlayerRole.None => _random.Next(Games.Length),
                PlayerRole.DeviceFarm => 0,
                PlayerRole.InternetCafe => 1,
                _ => index / spacing / Roles.Length % Games.Length, // the first of each role in odin, which blocks cloud logins
            },
            Archetype = archetype,
            Role = role,
            Address = address,
            Ip = JsonEncodedText.Encode(address.Ip),
            DeviceId = JsonEncodedText.Encode("dev-" + userId),
            Platform = _random.Next(role == PlayerRole.InvalidReceipt ? 2 : 3), // receipts exist on mobile stores only
            Locale = JsonEncodedText.Encode(country switch { "KR" => "ko-KR", "JP" => "ja-JP", _ => "en-US" }),
            Country = country,
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
        if (IsPaymentAbuse(player.Role) && _random.Next(10) == 0)
        {
            WritePurchase(player);
            return;
        }

        // Farm bots and café customers come and go: many short sessions, so their address sees many logins.
        if (player.Role is PlayerRole.DeviceFarm or PlayerRole.InternetCafe && _random.Next(3) == 0)
        {
            WriteSessionEnded(player);
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

    private static bool IsPaymentAbuse(PlayerRole role) =>
        role is PlayerRole.InvalidReceipt or PlayerRole.PriceMismatch or PlayerRole.UnregisteredCurrency or PlayerRole.ReceiptReplay;

    private void WriteSessionStarted(Player player)
    {
        player.InSession = true;
        player.SessionStartMs = _clockMs;
        var device = player.Role switch
        {
            PlayerRole.DeviceFarm => _random.Pick(FarmDevices), // a farm rotates emulated devices on one address
            PlayerRole.InternetCafe => _random.Pick(CafeTerminals),
            _ => player.DeviceId.Value,
        };
        var allowedSignatures = ClientSignatures[player.Platform];
        var signature = _random.Next(allowedSignatures.Length); // android allows two
        Begin(player, "game.session.started"u8, payment: false);
        _writer.WriteString("ip"u8, player.Ip);
        _writer.WriteString("deviceId"u8, device);
        _writer.WriteString("platform"u8, Platforms[player.Platform]);
        _writer.WriteString("clientVersion"u8, "1.4.2"u8);
        _writer.WriteString("clientSignature"u8, player.Role == PlayerRole.TamperedClient ? "dead" + new string('0', 60) : allowedSignatures[signature]);
        _writer.WriteString("locale"u8, player.Locale);
        _writer.WriteString("accountCountry"u8, player.Country);
        End();

        var game = Games[player.Game];
        var address = player.Address;
        PlantAddressFlags(address);
        if (address.Cloud && SyntheticConfig.BlocksCloudProviders(game))
        {
            _truth.Flag(FraudReasons.CloudProvider, _eventId);
        }
        else if (address.Cloud)
        {
            _truth.FlagNearMiss(FraudReasons.CloudProvider); // a game that allows cloud logins
        }

        if (address.Country is null)
        {
            _truth.FlagNearMiss(FraudReasons.CountryMismatch); // the ASN data knows no country to compare
        }
        else if (address.Country != player.Country)
        {
            _truth.Flag(FraudReasons.CountryMismatch, _eventId);
        }

        if (player.Role == PlayerRole.TamperedClient)
        {
            _truth.Flag(FraudReasons.ClientTampered, _eventId);
        }
        else if (signature > 0)
        {
            _truth.FlagNearMiss(FraudReasons.ClientTampered); // another signature the platform allows
        }

        _truth.Login(game, address.Bucket, device, _eventTimeMs, _eventId);
    }

    /// <summary>The blocklist's flags, which logins and purchases share.</summary>
    private void PlantAddressFlags(PlannedAddress address)
    {
        if (address.BlockedRange)
        {
            _truth.Flag(FraudReasons.BlockedRange, _eventId);
        }

        if (address.BlockedAsn)
        {
            _truth.Flag(FraudReasons.BlockedAsn, _eventId);
        }
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
        // low-hp-auto: "data.autoBattle && data.hp * 5 < data.maxHp"; maxHp is a multiple of 5.
        var threshold = player.MaxHp / 5;
        var roll = _random.Next(100);
        var (autoBattle, hp) = roll switch
        {
            < 4 => (true, 1 + _random.Next(threshold - 1)), // a match
            < 6 => (true, threshold), // near miss: hp * 5 == maxHp is not below
            < 8 => (false, 1 + _random.Next(threshold - 1)), // near miss: low, but playing by hand
            _ => (_random.Next(2) == 0, threshold + 1 + _random.Next(player.MaxHp - threshold)),
        };
        Begin(player, "game.character.hp_changed"u8, payment: false);
        _writer.WriteNumber("hp"u8, hp);
        _writer.WriteNumber("maxHp"u8, player.MaxHp);
        _writer.WriteBoolean("autoBattle"u8, autoBattle);
        _writer.WriteBoolean("inCombat"u8, hp < player.MaxHp && _random.Next(3) > 0);
        _writer.WriteString("zone"u8, _random.Pick(Zones));
        End();
        if (roll < 4)
        {
            _truth.RuleMatch(SyntheticConfig.LowHpAuto, Games[player.Game], player.CharacterIdText, _eventTimeMs, _eventId);
        }
        else if (roll < 8)
        {
            _truth.RuleNearMiss(SyntheticConfig.LowHpAuto);
        }
    }

    private void WriteDied(Player player)
    {
        // died-pve: "data.cause != 'pvp'".
        var pvp = _random.Next(player.Archetype == Archetype.PvpGrinder ? 2 : 5) == 0;
        Begin(player, "game.character.died"u8, payment: false);
        _writer.WriteString("zone"u8, _random.Pick(Zones));
        _writer.WriteString("cause"u8, pvp ? "pvp" : _random.Pick(PveCauses));
        End();
        if (pvp)
        {
            _truth.RuleNearMiss(SyntheticConfig.DiedPve);
        }
        else
        {
            _truth.RuleMatch(SyntheticConfig.DiedPve, Games[player.Game], player.UserIdText, _eventTimeMs, _eventId);
        }
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
        // big-sale: "data.price * data.quantity >= 100000"; prices are multiples of 100.
        const int BigSale = 100_000;
        var item = _random.Next(ItemIds.Length);
        var quantity = 1 + _random.Next(5);
        var roll = _random.Next(100);
        var lowestBig = (BigSale + (100 * quantity) - 1) / (100 * quantity) * 100;
        var price = roll switch
        {
            < 3 => _random.Next(4) == 0 ? lowestBig : lowestBig + (100 * _random.Next(300)), // a match, at times exactly 100,000
            < 5 => (BigSale - 1) / (100 * quantity) * 100, // near miss: the largest total below 100,000
            _ => 100 * (1 + _random.Next(player.Archetype == Archetype.Trader ? 190 : 60)), // at most 19,000 × 5
        };
        Begin(player, "game.market.item_sold"u8, payment: false);
        _writer.WriteString("itemId"u8, ItemIds[item]);
        _writer.WriteString("itemName"u8, ItemNames[item]);
        _writer.WriteNumber("quantity"u8, quantity);
        _writer.WriteNumber("price"u8, price);
        End();
        if (roll < 3)
        {
            _truth.RuleMatch(SyntheticConfig.BigSale, Games[player.Game], player.UserIdText, _eventTimeMs, _eventId);
        }
        else if (roll < 5)
        {
            _truth.RuleNearMiss(SyntheticConfig.BigSale);
        }
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
        var replayed = player.Role == PlayerRole.ReceiptReplay ? _lastPurchase[player.Game] : null;
        var store = replayed?.Store ?? player.Platform;
        var product = replayed?.Product ?? _random.Next(Catalog.Length);
        var (currency, price) = player.Country switch
        {
            "KR" => ("KRW", Catalog[product].Krw),
            "JP" => ("JPY", Catalog[product].Jpy),
            _ => ("USD", Catalog[product].Usd),
        };
        var respelled = false;
        if (player.Role == PlayerRole.UnregisteredCurrency)
        {
            currency = "EUR";
        }
        else if (player.Role == PlayerRole.PriceMismatch)
        {
            price /= 10;
        }
        else if (_random.Next(4) == 0)
        {
            price *= 1.00m; // the catalog's price with two more decimals: the same number
            respelled = true;
        }

        var orderId = replayed?.OrderId ?? NewOrderId(store);
        var receipt = replayed?.Receipt ?? store switch
        {
            0 => GooglePlayReceipt(orderId, Catalog[product].Product, player.Game, player.Role == PlayerRole.InvalidReceipt),
            1 => AppStoreReceipt(orderId, Catalog[product].Product, player.Game, player.Role == PlayerRole.InvalidReceipt),
            _ => [],
        };
        player.LastOrderId = orderId;
        player.LastStore = store;

        // One replay in four has the time of the purchase it copies: the event ids decide which use is the first.
        if (replayed is not null && _random.Next(4) == 0)
        {
            _eventTimeMs = replayed.TimeMs;
        }

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
        PlantAddressFlags(player.Address);
        if (!SyntheticConfig.RegisteredCurrencies.Contains(currency))
        {
            _truth.Flag(FraudReasons.UnregisteredCurrency, _eventId);
        }
        else if (player.Role == PlayerRole.PriceMismatch)
        {
            _truth.Flag(FraudReasons.PriceMismatch, _eventId);
        }
        else if (respelled)
        {
            _truth.FlagNearMiss(FraudReasons.PriceMismatch);
        }

        if (player.Role == PlayerRole.InvalidReceipt)
        {
            _truth.Flag(FraudReasons.InvalidReceipt, _eventId);
        }

        _truth.Purchase(Stores[store].Value, orderId, _eventTimeMs, _eventId);
        if (replayed is null && store != 2 && player.Role == PlayerRole.None)
        {
            _lastPurchase[player.Game] = new PlantedPurchase(orderId, store, product, _eventTimeMs, receipt);
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
        // boss: "has(data.bossLevel) && data.bossLevel >= 50 && data.zone in ['abyss', 'rift']".
        var roll = _random.Next(10);
        var (level, zone) = roll switch
        {
            < 4 => (_random.Next(4) == 0 ? 50 : 50 + _random.Next(20), _random.Pick(BossZones)), // a match
            4 => (49, _random.Pick(BossZones)), // near miss: one level short
            5 => (50 + _random.Next(20), _random.Pick(OtherZones)), // near miss: elsewhere
            6 => ((int?)null, _random.Pick(BossZones)), // near miss: no level
            _ => (30 + _random.Next(19), _random.Pick(Zones)),
        };

        // A type the contract does not know: accepted and routed to rules only.
        WriteEnvelope(GameSources[1], "game.world.boss_spawned"u8, GameIds[1], JsonEncodedText.Encode("world1"), null);
        _writer.WriteStartObject("data"u8);
        if (level is { } bossLevel)
        {
            _writer.WriteNumber("bossLevel"u8, bossLevel);
        }

        _writer.WriteString("zone"u8, zone);
        End();
        if (roll < 4)
        {
            _truth.RuleMatch(SyntheticConfig.Boss, Games[1], "world1", _eventTimeMs, _eventId);
        }
        else if (roll < 7)
        {
            _truth.RuleNearMiss(SyntheticConfig.Boss);
        }
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
        Span<byte> id = stackalloc byte[EventId.Length];
        _eventId = EventId.Next(_random);
        _eventId.Format(id);
        _writer.WriteStartObject();
        _writer.WriteString("specversion"u8, "1.0"u8);
        _writer.WriteString("id"u8, id);
        _writer.WriteString("source"u8, source);
        _writer.WriteString("type"u8, type);
        _writer.WriteString("time"u8, Start.AddMilliseconds(_eventTimeMs));
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

/// <summary>A purchase a receipt replayer can copy: its order, store, product, event time and receipt.</summary>
internal sealed record PlantedPurchase(string OrderId, int Store, int Product, long TimeMs, byte[] Receipt);
