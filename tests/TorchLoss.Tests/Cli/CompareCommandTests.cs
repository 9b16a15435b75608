using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;

namespace TorchLoss.Tests.Cli;

public class CompareCommandTests
{
    static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test") { CompareCommand.Create() };
        var stderr = new StringWriter();
        return (CliRunner.Run(root, ["compare", .. args], stderr), stderr.ToString());
    }

    [Theory]
    [InlineData("choose --quick or --full", "--quick", "--full")]
    [InlineData("unknown head 'hinge'", "--heads", "softmax-ce,hinge")]
    [InlineData("'abc' is not a number", "--lr-grid", "0.1,abc")]
    [InlineData("learning rates must be positive", "--lr-grid", "0.1,-1")]
    [InlineData("--seeds: must be at least 1, got 0", "--seeds", "0")]
    [InlineData("a learning rate is named twice", "--lr-grid", "0.1,0.3,0.1")]
    [InlineData("one output per class", "--models", "logistic")]
    [InlineData("unknown model 'cnn'", "--models", "cnn")]
    [InlineData("unknown device 'gpu'", "--device", "gpu")]
    [InlineData("unknown dataset 'cifar'", "--dataset", "cifar")]
    [InlineData("unknown engine 'jit': expected one of auto, fused, autograd", "--engine", "jit")]
    public void BadOptionsGiveOneLineAndExitCode2(string message, params string[] args)
    {
        var (code, error) = Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
