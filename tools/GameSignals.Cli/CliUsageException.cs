namespace GameSignals.Cli;

/// <summary>A problem with the command line or its input files: printed as one line on stderr, exit code 2.</summary>
internal sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliUsageException()
    {
    }

    /// <summary>The message for a file that cannot be opened or read.</summary>
    public static CliUsageException Unreadable(string path, Exception cause) =>
        new($"cannot read {path}: {cause.Message}", cause);
}
