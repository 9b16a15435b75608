using System.CommandLine;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchSharp;
using TorchLoss.Runtime;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Cli;

public class TrainCommandTests
{
    static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test") { TrainCommand.Create() };
        var stderr = new StringWriter();
        var code = CliRunner.Run(root, ["train", .. args], stderr);
        return (code, stderr.ToString());
    }

    [Theory]
    [InlineData("unknown head 'hinge'", "--head", "hinge")]
    [InlineData("unknown model 'cnn'", "--model", "cnn")]
    [InlineData("unknown device 'tpu'", "--device", "tpu")]
    [InlineData("--lr: must be greater than 0, got 0", "--lr", "0")]
    [InlineData("--lr: must be greater than 0, got -0.1", "--lr", "-0.1")]
    [InlineData("--batch: must be at least 1, got 0", "--batch", "0")]
    [InlineData("--epochs: must be at least 1, got 0", "--epochs", "0")]
    [InlineData("unknown schedule 'cosine'", "--schedule", "cosine")]
    [InlineData("unknown --mse-reduction 'sum'", "--mse-reduction", "sum")]
    [InlineData("--lr: 'fast' is not a number", "--lr", "fast")]
    [InlineData("binary task 'three'", "--binary", "three")]
    [InlineData("unknown dataset 'cifar'", "--dataset", "cifar")]
    [InlineData("unknown engine 'bogus': expected one of auto, fused, autograd", "--engine", "bogus")]
    public void BadOptionsGiveOneLineAndExitCode2(string message, string option, string value)
    {
        var (code, error) = Run(option, value);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("torchloss: error: ", error);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    public void CudaWithoutCudaGivesOneLineAndExitCode2(string device)
    {
        if (TorchRuntime.CudaIsAvailable) return; // with a CUDA backend and device this is a real run, not an error
        using var data = new CliDataset();
        var (code, output, error) = data.Run(TrainCommand.Create, "--device", device, "--runs-dir", data.RunsDirectory, "--name", "on-cuda");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"torchloss: error: {device} was requested but CUDA is not available", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain(" at TorchLoss", error);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(Path.Combine(data.RunsDirectory, "on-cuda")));
    }

    [Fact]
    public void ResumingSomethingThatIsNotARunFolderIsAClearError()
    {
        var (code, error) = Run("--resume", Path.Combine(Path.GetTempPath(), "no-such-run-folder"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("is not a run folder", error);
    }
}
