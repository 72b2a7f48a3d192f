using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace GameSignals.Tests;

/// <summary>The settings of local.settings.sample.json, the ones a developer starts the app with.</summary>
internal static class SampleSettings
{
    /// <summary>The <c>Values</c> as configuration keys (<c>A__B</c> is <c>A:B</c>): a fresh copy for each caller to change.</summary>
    public static Dictionary<string, string?> Values()
    {
        using var sample = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryFiles.Root, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
    }

    /// <summary>The sample settings with <paramref name="overrides"/> on top.</summary>
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Values()).AddInMemoryCollection(overrides ?? []).Build();
}
