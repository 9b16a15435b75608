using TorchLoss.Cli;

TorchLoss.Runtime.TorchRuntime.Initialize();
return CliRunner.Run(CommandTree.Create(), args);
