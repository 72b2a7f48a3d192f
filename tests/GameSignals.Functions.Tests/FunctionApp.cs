using System.Reflection;
using System.Text.Json;

namespace GameSignals.Functions.Tests;

/// <summary>The function app project under test and its build output.</summary>
internal static class FunctionApp
{
    public static string ProjectPath { get; } = Metadata("FunctionAppProject");

    public static string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public static string Configuration { get; } = Metadata("Configuration");

    public static string TargetFramework { get; } = Metadata("TargetFramework");

    /// <summary>The output folder of the app's default build, built with these tests.</summary>
    public static string OutputDirectory => Path.Combine(ProjectDirectory, "bin", Configuration, TargetFramework);

    /// <summary>The <c>functions.metadata</c> the SDK wrote into an output folder of the app.</summary>
    public static JsonElement ReadMetadata(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} was not built.");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    public static JsonElement Function(JsonElement metadata, string name) =>
        metadata.EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static string Metadata(string key) =>
        typeof(FunctionApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
