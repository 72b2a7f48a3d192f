using System.Text.Json;

namespace GameSignals.Cli.Replay;

/// <summary>
/// The <c>--config</c> directory of replay (contract §6): <c>rules.json</c>, <c>fraud.json</c> and
/// <c>ipranges/</c>, and <c>stats.json</c> when the games have stats settings (§9). Loading checks that they exist and are well-formed JSON, so a bad directory
/// fails before any event is read with a message naming the file and line; capabilities read
/// their own parts through these paths.
/// </summary>
internal sealed record ReplayConfiguration(string Directory)
{
    public string RulesPath => Path.Combine(Directory, "rules.json");

    public string FraudPath => Path.Combine(Directory, "fraud.json");

    public string IpRangesDirectory => Path.Combine(Directory, "ipranges");

    /// <summary>Optional: without it no game has stats settings.</summary>
    public string StatsPath => Path.Combine(Directory, "stats.json");

    public static ReplayConfiguration Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new CliUsageException($"config directory {directory} does not exist");
        }

        var config = new ReplayConfiguration(directory);
        CheckJson(config.RulesPath);
        CheckJson(config.FraudPath);
        if (File.Exists(config.StatsPath))
        {
            CheckJson(config.StatsPath);
        }
        if (!System.IO.Directory.Exists(config.IpRangesDirectory))
        {
            throw new CliUsageException($"config directory {directory} has no ipranges/ directory");
        }

        foreach (var source in System.IO.Directory.EnumerateFiles(config.IpRangesDirectory, "*.json"))
        {
            CheckJson(source);
        }

        return config;
    }

    private static void CheckJson(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliUsageException.Unreadable(path, ex);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliUsageException($"{path}: invalid config: expected a JSON object");
            }
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } zeroBased ? $" line {zeroBased + 1}" : "";
            throw new CliUsageException($"{path}{line}: invalid JSON: {FirstSentence(ex.Message)}", ex);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).ReplaceLineEndings(" ");
    }
}
