using HostPanel.Cli;

return await HostPanelCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
