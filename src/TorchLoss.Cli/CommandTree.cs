using System.CommandLine;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Cli;

/// <summary>The torchloss command and its subcommands, as the tool runs them.</summary>
public static class CommandTree
{
    public static RootCommand Create()
    {
        var root = new RootCommand("torchloss: how a classifier's output head and loss shape its training (TorchSharp, CPU or CUDA).");
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(GradCheckCommand.Create());
        root.Subcommands.Add(LandscapeCommand.Create());
        root.Subcommands.Add(SaturationCommand.Create());
        root.Subcommands.Add(ExamplesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root;
    }
}
