using System.CommandLine;
using TorchLoss.Benchmarking;
using TorchLoss.Cli;
using TorchLoss.Cli.Commands;
using TorchLoss.Torch;

namespace TorchLoss.Tests.Benchmarking;

[Collection(SerialCollection.Name)]
public class BenchTests
{
    [Fact]
    public void FlopsPerStepCountTheMatrixProductsOfForwardAndBackward()
    {
        // Forward 2·B·(784·256 + 256·256 + 256·10); weight gradients the same; input gradients for layers 2 and 3.
        const double b = 128;
        var forward = 2 * b * (784 * 256 + 256 * 256 + 256 * 10);
        var inputGradients = 2 * b * (256 * 256 + 256 * 10);
        Assert.Equal(forward, StepFlops.Forward([784, 256, 256, 10], 128));
        Assert.Equal(2 * forward + inputGradients, StepFlops.TrainingStep([784, 256, 256, 10], 128));
        Assert.Equal(155_058_176, StepFlops.TrainingStep([784, 256, 256, 10], 128));
    }

    [Fact]
    public void RatesReportTheMedianAndSpread()
    {
        var odd = Rate.Of([3, 1, 2]);
        Assert.Equal((2.0, 1.0, 3.0), (odd.Median, odd.Min, odd.Max));
        Assert.Equal(1.0, odd.Spread);
        Assert.Equal(2.5, Rate.Of([4, 1, 2, 3]).Median);
    }

    [Fact]
    public void ATinyBenchMeasuresEverySettingAndSaysWhyCudaIsMissing()
    {
        var settings = new BenchSettings
        {
            Devices = ["cpu", "cuda"], Batches = [8, 16], Widths = [16, 8, 4],
            CpuThreads = new[] { (1, 1), (1, Environment.ProcessorCount) }.Distinct().ToList(),
            WarmupSteps = 1, Steps = 3, Repetitions = 2,
        };
        var lines = new List<string>();
        var report = BenchRunner.Run(settings, lines.Add);
        var cpu = report.Settings.Where(s => s.Setting.StartsWith("cpu")).ToList();
        Assert.Equal(settings.CpuThreads.Count, cpu.Count);
        Assert.All(cpu, s =>
        {
            Assert.True(s.Sgemm.Median > 0);
            Assert.Equal([8, 16], s.Throughput.Select(t => t.Batch));
            Assert.All(s.Throughput, t =>
            {
                Assert.Equal(2, t.StepsPerSecond.Samples.Count);
                Assert.Equal(t.StepsPerSecond.Median * t.Batch, t.ExamplesPerSecond);
                Assert.True(t.RooflineFraction > 0);
            });
        });
        if (!TorchRuntime.CudaIsAvailable)
            Assert.Contains(report.Skipped, s => s.Setting == "cuda" && s.Reason.Contains("CUDA is not available"));
        Assert.Contains(lines, l => l.Contains("batch 16"));
        // The default setting (1 intra-op, one BLAS thread per core) also measures what the step statistics cost.
        var defaultSetting = report.Settings.Single(s => s.IsDefault);
        Assert.Equal([8, 16], defaultSetting.DiagnosticsCost.Select(d => d.Batch));
        Assert.All(defaultSetting.DiagnosticsCost, d => Assert.Equal(2, d.WithoutStatistics.Samples.Count));
        Assert.All(report.Settings.Where(s => !s.IsDefault), s => Assert.Empty(s.DiagnosticsCost));
        Assert.Equal(1, TorchRuntime.Threads);
    }

    [Fact]
    public void ABenchWithoutWarmUpStillMeasures()
    {
        var settings = new BenchSettings { Devices = ["cpu"], Batches = [4], Widths = [16, 4], CpuThreads = [(1, 1)], WarmupSteps = 0, Steps = 2, Repetitions = 1 };
        Assert.True(BenchRunner.Run(settings).Settings.Single().Throughput.Single().StepsPerSecond.Median > 0);
    }

    [Theory]
    [InlineData("'abc' is not an integer >= 1", "--batch", "32,abc")]
    [InlineData("is not INTRAxBLAS", "--threads", "1y2")]
    [InlineData("unknown head 'hinge'", "--head", "hinge")]
    [InlineData("unknown device 'tpu'", "--device", "tpu")]
    public void BadOptionsGiveOneLineAndExitCode2(string message, string option, string value)
    {
        var root = new RootCommand("test") { BenchCommand.Create() };
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run(root, ["bench", option, value], stderr));
        Assert.Contains(message, stderr.ToString());
    }
}
