using System.Diagnostics;

namespace GameSignals.Cli.Tests;

/// <summary>
/// The native build of the CLI (tools/publish-native.sh), run as a process: the same outputs as the JIT build, the same
/// errors. <c>tests/run.sh</c> publishes it and names it in <c>GAMESIGNALS_NATIVE_CLI</c>; without it these are skipped.
/// </summary>
public sealed class NativeBuildTests(ExampleReplayFixture jitReplay) : IClassFixture<ExampleReplayFixture>, IDisposable
{
    private static readonly string? NativeCli = Environment.GetEnvironmentVariable("GAMESIGNALS_NATIVE_CLI");

    private readonly string _root = CliRun.TempDirectory();

    [SkippableFact]
    public async Task The_native_replay_of_the_example_stream_writes_what_the_jit_build_writes()
    {
        var output = Path.Combine(_root, "out");
        var (code, _, error) = await RunNativeAsync("replay", "--events", ExampleReplayFixture.EventsPath, "--config", RepositoryFiles.Examples, "--out", output);

        Assert.True(code == 0, error);
        var written = Directory.GetFiles(jitReplay.OutDirectory).Select(Path.GetFileName).Where(name => name != "summary.json").Order().ToList();
        Assert.Equal(written, Directory.GetFiles(output).Select(Path.GetFileName).Where(name => name != "summary.json").Order());
        Assert.Contains("notifications.jsonl", written);
        foreach (var name in written)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(jitReplay.OutDirectory, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(output, name!))),
                $"{name} differs between the native and the JIT build");
        }
    }

    [SkippableFact]
    public async Task The_native_build_validates_the_pipelines_options()
    {
        var (code, _, error) = await RunNativeAsync(
            "replay", "--events", ExampleReplayFixture.EventsPath, "--config", RepositoryFiles.Examples, "--out", _root, "--duplicate-window", "PT0.5S");

        Assert.Equal(2, code);
        Assert.Contains("DuplicateWindow must be from 1 second to 30 days", error, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("console", "--config", "config", "--events", "events.jsonl")]
    [InlineData("send", "--events", "events.jsonl", "--namespace", "ns.servicebus.windows.net")]
    public async Task The_native_build_sends_the_commands_it_does_not_serve_to_the_jit_build(string command, params string[] options)
    {
        var (code, _, error) = await RunNativeAsync([command, .. options]);

        Assert.Equal(2, code);
        Assert.Contains($"{command} needs the JIT build of the CLI", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunNativeAsync(params string[] args)
    {
        Skip.If(string.IsNullOrEmpty(NativeCli), "GAMESIGNALS_NATIVE_CLI is not set: tests/run.sh publishes the native build and sets it.");
        var start = new ProcessStartInfo(NativeCli!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
