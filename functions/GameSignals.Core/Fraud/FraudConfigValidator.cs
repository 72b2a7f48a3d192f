using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace GameSignals.Fraud;

/// <summary>Checks a game's settings field by field and compiles them into a <see cref="FraudPolicy"/>.</summary>
public static class FraudConfigValidator
{
    private static readonly FrozenSet<string> KnownStores = FrozenSet.Create(StringComparer.Ordinal, Stores.GooglePlay, Stores.AppStore, Stores.Pc);
    private static readonly FrozenSet<string> KnownPlatforms = FrozenSet.Create(StringComparer.Ordinal, "android", "ios", "pc");

    /// <summary>Every problem of <paramref name="config"/>, each named by its field path; empty when it is usable.</summary>
    public static IReadOnlyList<ConfigProblem> Validate(string gameId, GameFraudConfig config)
    {
        var problems = new List<ConfigProblem>();
        TryCompile(gameId, config, problems);
        return problems;
    }

    /// <summary>The compiled policy, or null after adding every problem (paths under <paramref name="prefix"/>) to <paramref name="problems"/>.</summary>
    public static FraudPolicy? TryCompile(string gameId, GameFraudConfig config, List<ConfigProblem> problems, string prefix = "") =>
        TryCompile(gameId, config, problems, prefix, AppleChainRule.AppleRoots);

    /// <summary>As the public overload, with the roots under which Apple's chain rule applies named (tests use a root of their own).</summary>
    internal static FraudPolicy? TryCompile(string gameId, GameFraudConfig config, List<ConfigProblem> problems, string prefix, FrozenSet<string> appleRoots)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        void Problem(string field, string message) => problems.Add(new ConfigProblem(prefix.Length == 0 ? field : prefix + "." + field, message));

        if (string.IsNullOrWhiteSpace(gameId))
        {
            Problem("gameId", "is required");
        }

        var window = TimeSpan.Zero;
        if (config.DeviceFarm is not { } farm)
        {
            Problem("deviceFarm", "is required");
        }
        else
        {
            if (farm.MaxDevicesPerIp < 1)
            {
                Problem("deviceFarm.maxDevicesPerIp", $"must be at least 1, was {farm.MaxDevicesPerIp}");
            }

            window = ParseWindow(farm.Window, Problem);
        }

        var currencies = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        if (config.Currencies is null)
        {
            Problem("currencies", "is required");
        }
        else
        {
            foreach (var (store, codes) in config.Currencies)
            {
                if (!KnownStores.Contains(store))
                {
                    Problem($"currencies.{store}", "is not a store (google_play, app_store, pc)");
                }

                for (var i = 0; i < (codes?.Count ?? 0); i++)
                {
                    CheckCurrency(codes![i], $"currencies.{store}[{i}]", Problem);
                }

                currencies[store] = (codes ?? []).ToFrozenSet(StringComparer.Ordinal);
            }
        }

        var catalog = new Dictionary<string, FrozenDictionary<string, decimal>>(StringComparer.Ordinal);
        foreach (var (product, prices) in config.Catalog ?? [])
        {
            foreach (var (currency, price) in prices ?? [])
            {
                CheckCurrency(currency, $"catalog.{product}.{currency}", Problem);
                if (price <= 0)
                {
                    Problem($"catalog.{product}.{currency}", $"price must be positive, was {price.ToString(CultureInfo.InvariantCulture)}");
                }
            }

            catalog[product] = (prices ?? []).ToFrozenDictionary(StringComparer.Ordinal);
        }

        var signatures = new Dictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var (platform, allowed) in config.ClientSignatures ?? [])
        {
            if (!KnownPlatforms.Contains(platform))
            {
                Problem($"clientSignatures.{platform}", "is not a platform (android, ios, pc)");
            }

            for (var i = 0; i < (allowed?.Count ?? 0); i++)
            {
                if (!IsSha256Hex(allowed![i]))
                {
                    Problem($"clientSignatures.{platform}[{i}]", "must be a SHA-256 in hex (64 hex digits)");
                }
            }

            signatures[platform] = (allowed ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        }

        var playKey = CheckGooglePlay(config, currencies, Problem);
        var roots = CheckAppStore(config, currencies, Problem);
        var severities = CheckSeverities(config.Severities, Problem);

        if (problems.Count > before)
        {
            return null;
        }

        return new FraudPolicy
        {
            GameId = gameId,
            BlockCloudProviders = config.BlockCloudProviders,
            MaxDevicesPerIp = config.DeviceFarm!.MaxDevicesPerIp,
            DeviceFarmWindow = window,
            Currencies = currencies.ToFrozenDictionary(StringComparer.Ordinal),
            Catalog = catalog.ToFrozenDictionary(StringComparer.Ordinal),
            ClientSignatures = signatures.ToFrozenDictionary(StringComparer.Ordinal),
            GooglePlayPackageName = config.GooglePlay?.PackageName,
            GooglePlayPublicKey = playKey,
            AppStoreBundleId = config.AppStore?.BundleId,
            AppStoreRoots = roots,
            AppStoreEnvironment = config.AppStore?.Environment ?? AppStoreEnvironments.Production,
            AppleRoots = appleRoots,
            Severities = severities,
        };
    }

    private static TimeSpan ParseWindow(string? text, Action<string, string> problem)
    {
        if (string.IsNullOrEmpty(text))
        {
            problem("deviceFarm.window", "is required (an ISO 8601 duration such as PT10M)");
            return TimeSpan.Zero;
        }

        try
        {
            var window = XmlConvert.ToTimeSpan(text);
            if (window <= TimeSpan.Zero)
            {
                problem("deviceFarm.window", $"must be a positive duration, was {text}");
            }

            return window;
        }
        catch (FormatException)
        {
            problem("deviceFarm.window", $"is not an ISO 8601 duration: {text}");
            return TimeSpan.Zero;
        }
        catch (OverflowException)
        {
            problem("deviceFarm.window", $"is too long: {text}");
            return TimeSpan.Zero;
        }
    }

    private static void CheckCurrency(string? code, string field, Action<string, string> problem)
    {
        if (code is null || !CurrencyCodes.IsActive(code))
        {
            problem(field, $"'{code}' is not an active ISO 4217 currency code");
        }
    }

    private static bool IsSha256Hex(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);

    private static ReadOnlyMemory<byte> CheckGooglePlay(GameFraudConfig config, Dictionary<string, FrozenSet<string>> currencies, Action<string, string> problem)
    {
        if (config.GooglePlay is not { } play)
        {
            if (currencies.TryGetValue(Stores.GooglePlay, out var registered) && registered.Count > 0)
            {
                problem("googlePlay", "is required when currencies are registered for google_play");
            }

            return default;
        }

        if (string.IsNullOrWhiteSpace(play.PackageName))
        {
            problem("googlePlay.packageName", "is required");
        }

        try
        {
            var der = Convert.FromBase64String(play.PublicKey ?? "");
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length || der.Length == 0)
            {
                problem("googlePlay.publicKey", "has bytes after the SubjectPublicKeyInfo");
            }

            return der;
        }
        catch (FormatException)
        {
            problem("googlePlay.publicKey", "is not base64");
        }
        catch (CryptographicException e)
        {
            problem("googlePlay.publicKey", "is not an RSA X.509 SubjectPublicKeyInfo: " + e.Message);
        }

        return default;
    }

    private static List<byte[]> CheckAppStore(GameFraudConfig config, Dictionary<string, FrozenSet<string>> currencies, Action<string, string> problem)
    {
        var roots = new List<byte[]>();
        if (config.AppStore is not { } appStore)
        {
            if (currencies.TryGetValue(Stores.AppStore, out var registered) && registered.Count > 0)
            {
                problem("appStore", "is required when currencies are registered for app_store");
            }

            return roots;
        }

        if (string.IsNullOrWhiteSpace(appStore.BundleId))
        {
            problem("appStore.bundleId", "is required");
        }

        if (appStore.Environment is not (null or AppStoreEnvironments.Production or AppStoreEnvironments.Sandbox))
        {
            problem("appStore.environment", $"must be '{AppStoreEnvironments.Production}' (the default) or '{AppStoreEnvironments.Sandbox}', was '{appStore.Environment}'");
        }

        if (appStore.RootCertificates is not { Count: > 0 } certificates)
        {
            problem("appStore.rootCertificates", "needs at least one certificate");
            return roots;
        }

        for (var i = 0; i < certificates.Count; i++)
        {
            try
            {
                var der = Convert.FromBase64String(certificates[i] ?? "");
                using var certificate = X509CertificateLoader.LoadCertificate(der);
                if (CannotSignCertificates(certificate) is { } reason)
                {
                    problem($"appStore.rootCertificates[{i}]", $"cannot sign certificates ({reason}), so no chain can ever build to it"
                        + " (Xcode's local StoreKit testing certificate is such a one); configure the root CA, e.g. Apple Root CA - G3");
                    continue;
                }

                roots.Add(der);
            }
            catch (FormatException)
            {
                problem($"appStore.rootCertificates[{i}]", "is not base64");
            }
            catch (CryptographicException e)
            {
                problem($"appStore.rootCertificates[{i}]", "is not a DER certificate: " + e.Message);
            }
        }

        return roots;
    }

    /// <summary>Why a configured root is no CA (RFC 5280 §4.2.1.3 and §4.2.1.9), or null when it can sign certificates.</summary>
    private static string? CannotSignCertificates(X509Certificate2 certificate)
    {
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { } constraints)
        {
            return "it has no basic constraints extension marking it a CA";
        }

        if (!constraints.CertificateAuthority)
        {
            return "its basic constraints say it is not a CA";
        }

        return certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign)
            ? $"its key usage is {usage.KeyUsages}, without keyCertSign"
            : null;
    }

    private static FrozenDictionary<string, FlagSeverity> CheckSeverities(Dictionary<string, string>? configured, Action<string, string> problem)
    {
        var severities = new Dictionary<string, FlagSeverity>(FraudReasons.DefaultSeverities, StringComparer.Ordinal);
        foreach (var (reason, value) in configured ?? [])
        {
            if (!FraudReasons.DefaultSeverities.ContainsKey(reason))
            {
                problem($"severities.{reason}", "is not a reason code");
            }
            else if (value is "block" or "review")
            {
                severities[reason] = value == "block" ? FlagSeverity.Block : FlagSeverity.Review;
            }
            else
            {
                problem($"severities.{reason}", $"must be 'block' or 'review', was '{value}'");
            }
        }

        return severities.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
