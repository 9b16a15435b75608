using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Tests.Cli;

/// <summary>Shell completion as scripts/completion.bash asks for it: the [suggest:POSITION] directive on the command line.</summary>
public sealed class CompletionTests
{
    static string[] Suggest(string line)
    {
        var output = new StringWriter();
        var root = new RootCommand("test") { CompareCommand.Create(), TrainCommand.Create(), EvalCommand.Create(), RunsCommand.Create(TextWriter.Null) };
        var code = root.Parse([$"[suggest:{line.Length}]", line]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(ExitCodes.Ok, code);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public void Heads_engines_datasets_and_commands_complete()
    {
        Assert.Equal(["softmax-ce", "softmax-mse"], Suggest("torchloss train --head softmax"));
        Assert.Equal(["auto", "autograd", "closed-form", "fused"], Suggest("torchloss train --engine "));
        Assert.Contains("digits", Suggest("torchloss compare --dataset "));
        Assert.Contains("csv:", Suggest("torchloss compare --dataset "));
        Assert.Equal(["best", "final"], Suggest("torchloss eval runs/x --model "));
        Assert.Contains("train", Suggest("torchloss tr"));
    }
}
