using GameSignals.Cli;

return await GameSignalsCli.RunAsync(args, CliConsole.System, CancellationToken.None).ConfigureAwait(false);
