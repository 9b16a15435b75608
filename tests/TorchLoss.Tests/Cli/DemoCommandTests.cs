using System.Text.Json;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runtime;
using TorchLoss.Training;

namespace TorchLoss.Tests.Cli;

/// <summary>`torchloss demo` trains its tiny MLP and reports loss and accuracy, as lines or one JSON object per
/// reported step. Serial: it trains.</summary>
[Collection(SerialCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    readonly ThreadSettings threads = new(TorchRuntime.Threads, TorchRuntime.BlasThreads);

    public void Dispose() => threads.Apply();

    [Fact]
    public void JsonGivesOneObjectPerReportedStepAndTheModelLearns()
    {
        var (code, output, error) = InProcessCli.Run(DemoCommand.Create, "--steps", "50", "--json");
        Assert.True(code == ExitCodes.Ok, error);
        var steps = output.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50], steps.Select(s => s.GetProperty("step").GetInt32()));
        Assert.All(steps, s => Assert.InRange(s.GetProperty("accuracy").GetDouble(), 0, 1));
        Assert.True(steps[^1].GetProperty("loss").GetDouble() < steps[0].GetProperty("loss").GetDouble());
        Assert.True(steps[^1].GetProperty("accuracy").GetDouble() > 0.9);
    }

    [Fact]
    public void WithoutJsonItPrintsWhatItTrainsThenAlignedLines()
    {
        var (code, output, _) = InProcessCli.Run(DemoCommand.Create, "--steps", "10");
        Assert.Equal(ExitCodes.Ok, code);
        var lines = output.Trim().Split('\n');
        Assert.StartsWith("demo: 2-32-3 tanh MLP, softmax + cross-entropy, SGD lr 0.1 momentum 0.9, cpu", lines[0]);
        Assert.Matches(@"^step +10  loss \d\.\d{4}  accuracy \d+\.\d %$", lines[^1]);
    }
}
