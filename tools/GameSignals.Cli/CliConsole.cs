using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace GameSignals.Cli;

/// <summary>
/// Where a command writes: results on <see cref="Out"/>, problems on <see cref="Error"/>, and
/// progress as a Spectre progress bar on a terminal or as plain periodic lines on <see cref="Error"/>
/// when output is redirected (and in tests).
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, bool interactive)
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; } = interactive;

    public static CliConsole System => new(Console.Out, Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    /// <summary>A Spectre console on <see cref="Out"/>: colours on a terminal, plain text 120 columns wide otherwise.</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!Interactive)
        {
            ansi.Profile.Width = 120;
        }

        return ansi;
    }

    /// <summary>Runs <paramref name="work"/>, which reports how much of <paramref name="total"/> it has done.</summary>
    public async Task<T> RunWithProgressAsync<T>(string description, long total, string unit, Func<Action<long>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interactive)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(description, maxValue: Math.Max(total, 1));
                    var result = await work(done => task.Value = done).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    return result;
                }).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var next = PlainInterval;
        return await work(done =>
        {
            if (clock.Elapsed >= next)
            {
                next = clock.Elapsed + PlainInterval;
                var percent = total > 0 ? (double)done / total * 100 : 0;
                Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{description}: {done:N0}/{total:N0} {unit} ({percent:F0}%) after {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }).ConfigureAwait(false);
    }
}
