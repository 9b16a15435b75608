using System.CommandLine;
using TorchLoss.Benchmarking;
using TorchLoss.Cli.Commands;
using TorchLoss.Cli;
using TorchLoss.Engines;
using TorchLoss.Runtime;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Benchmarking;

[Collection(SerialCollection.Name)]
public class BenchTests
{
    [Fact]
    public void TheDiagnosticsCostIsTheMedianOfPairedRepetitionsSoThatDriftCancels()
    {
        // The machine slows down after the first pair and speeds up for the last "without": the medians of each side
        // alone (60 against 110 steps/s) would make a 45 % cost of what costs 3-9 % in the first two pairs.
        var cost = new DiagnosticsCostResult("softmax-ce", 32, Rate.Of([100.0, 60, 58]), Rate.Of([110.0, 62, 120]));
        Assert.Equal([1 - 100.0 / 110, 1 - 60.0 / 62, 1 - 58.0 / 120], cost.PerRound.Samples);
        Assert.Equal(1 - 100.0 / 110, cost.FractionOfStepTime, 12);
    }

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

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(2, new[] { 1, 2 })]
    [InlineData(6, new[] { 1, 2, 4, 6 })]
    [InlineData(8, new[] { 1, 2, 4, 8 })]
    public void PyTorchIsTriedFromOneThreadUpToEveryCoreWhateverTorchlossSettingsAreMeasured(int cores, int[] expected) =>
        Assert.Equal(expected, PyTorchBaseline.ThreadCounts(cores));

    [Fact]
    public void RatesReportTheMedianAndSpread()
    {
        var odd = Rate.Of([3, 1, 2]);
        Assert.Equal((2.0, 1.0, 3.0), (odd.Median, odd.Min, odd.Max));
        Assert.Equal(1.0, odd.Spread);
        Assert.Equal(2.5, Rate.Of([4, 1, 2, 3]).Median);
    }

    [Fact]
    public void ATinyBenchMeasuresEveryEngineAndSettingAndSaysWhyCudaIsMissing()
    {
        var cores = Environment.ProcessorCount;
        var settings = new BenchSettings
        {
            Devices = ["cpu", "cuda"], Batches = [8, 16], Widths = [16, 8, 4],
            CpuThreads = new[] { (1, 1), (1, cores), (cores, 1), (cores, cores) }.Distinct().ToList(),
            WarmupSteps = 1, Steps = 3, Repetitions = 2,
        };
        Assert.Equal([TrainingEngine.Fused, TrainingEngine.Autograd], settings.Engines);
        var lines = new List<string>();
        var report = WithThreadsRestored(() => BenchRunner.Run(settings, lines.Add));
        var cpu = report.Settings.Where(s => s.Setting.StartsWith("cpu")).ToList();
        // Every engine under every thread setting, each once.
        Assert.Equal(settings.Engines.Count * settings.CpuThreads.Count, cpu.Count);
        Assert.Equal(cpu.Count, cpu.Select(s => s.Setting).Distinct().Count());
        foreach (var engine in new[] { "fused", "autograd" })
            Assert.Equal(settings.CpuThreads.Count, cpu.Count(s => s.Setting.StartsWith($"cpu, {engine}, ")));
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
        // The default setting (the fused engine, one intra-op thread per core, one BLAS thread) also measures what the
        // step statistics cost.
        var stepSize = ThreadSettings.ForwardMultiplyAdds(16, TorchLoss.Models.ModelSpec.ParameterCount(settings.Widths));
        var defaults = ThreadSettings.For(TrainingEngine.Fused, stepSize);
        Assert.Equal(new ThreadSettings(cores, 1), defaults);
        var defaultSetting = report.Settings.Single(s => s.IsDefault);
        Assert.StartsWith($"cpu, fused, {defaults.IntraOp} intra-op, ", defaultSetting.Setting);
        Assert.Equal([8, 16], defaultSetting.DiagnosticsCost.Select(d => d.Batch));
        Assert.All(defaultSetting.DiagnosticsCost, d => Assert.Equal(2, d.WithoutStatistics.Samples.Count));
        // Each engine's default threads measure it too (autograd's on so small a model: one thread in each pool); no other
        // setting does.
        var autogradDefaults = ThreadSettings.For(TrainingEngine.Autograd, stepSize);
        Assert.Equal(new ThreadSettings(1, 1), autogradDefaults);
        var engineDefaults = report.Settings.Where(s => s.IsEngineDefault).Select(s => s.Setting).ToList();
        Assert.Contains(defaultSetting.Setting, engineDefaults);
        Assert.Contains($"cpu, autograd, {autogradDefaults.IntraOp} intra-op, {autogradDefaults.Blas} BLAS", engineDefaults);
        Assert.All(report.Settings.Where(s => s.IsEngineDefault), s => Assert.Equal([8, 16], s.DiagnosticsCost.Select(d => d.Batch)));
        Assert.All(report.Settings.Where(s => !s.IsEngineDefault), s => Assert.Empty(s.DiagnosticsCost));
        // Autograd's recording is also timed directly, with and without the statistics; the fused step's happens inside it.
        Assert.All(report.Settings.Single(s => s.IsEngineDefault && s.Setting.StartsWith("cpu, autograd, ")).DiagnosticsCost, d =>
        {
            Assert.True(d.RecordingPerStep > TimeSpan.Zero);
            Assert.True(d.LightRecordingPerStep > TimeSpan.Zero);
            Assert.NotNull(d.TimedFractionOfStepTime);
        });
        Assert.All(defaultSetting.DiagnosticsCost, d => Assert.Null(d.TimedFractionOfStepTime));
        Assert.Empty(report.PyTorch);
    }

    /// <summary>Runs <paramref name="bench"/> from thread settings none of its own use, checks it put them back, and then restores
    /// the ones the test found.</summary>
    static T WithThreadsRestored<T>(Func<T> bench)
    {
        var found = new ThreadSettings(TorchRuntime.Threads, TorchRuntime.BlasThreads);
        try
        {
            TorchRuntime.Threads = Environment.ProcessorCount + 1;
            var before = new ThreadSettings(TorchRuntime.Threads, TorchRuntime.BlasThreads);
            var result = bench();
            Assert.Equal(before, new ThreadSettings(TorchRuntime.Threads, TorchRuntime.BlasThreads));
            return result;
        }
        finally
        {
            found.Apply();
        }
    }

    static BenchSettings PyTorchSettings => new()
    {
        Devices = ["cpu"], Batches = [4, 8], Widths = [16, 8, 4], Engines = [TrainingEngine.Fused],
        CpuThreads = [(ThreadSettings.For(TrainingEngine.Fused, 0).IntraOp, 1)], WarmupSteps = 1, Steps = 3, Repetitions = 3,
    };

    sealed class CountingLoad(List<string> events) : IDisposable
    {
        public void Dispose() => events.Add("load stopped");
    }

    [Fact]
    public void UnderLoadAlternatesIdleAndLoadedRoundsAndEachRoundGivesOneRatio()
    {
        var events = new List<string>();
        IDisposable Load()
        {
            events.Add("load started");
            return new CountingLoad(events);
        }
        var settings = PyTorchSettings;
        var report = WithThreadsRestored(() => BenchRunner.Run(settings, line => { if (line.StartsWith("under load")) events.Add(line); }, load: Load));

        Assert.NotNull(report.UnderLoad);
        Assert.Equal(settings.Batches, report.UnderLoad!.Select(l => l.Batch));
        var expected = settings.Batches.SelectMany(b => Enumerable.Range(1, 3).SelectMany(r =>
            new[] { $"under load, batch {b}: round {r} of 3", "load started", "load stopped" }));
        Assert.Equal(expected, events);
        foreach (var l in report.UnderLoad)
        {
            Assert.Equal(3, l.Idle.Samples.Count);
            for (var round = 0; round < 3; round++)
                Assert.Equal(l.Loaded.Samples[round] / l.Idle.Samples[round], l.Ratio.Samples[round]);
        }
        Assert.Null(WithThreadsRestored(() => BenchRunner.Run(settings)).UnderLoad);
    }

    [Fact]
    public void TheCpuLoadIsARealBusyProcessThatEndsWithIt()
    {
        int pid;
        using (var load = CpuLoad.Start())
        {
            pid = load.ProcessId;
            using var running = System.Diagnostics.Process.GetProcessById(pid);
            var before = running.TotalProcessorTime;
            Thread.Sleep(300);
            running.Refresh();
            Assert.True(running.TotalProcessorTime - before > TimeSpan.FromMilliseconds(50), "the load process is not using the CPU");
        }
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public void PyTorchRunsAlternateWithOursAndEachRoundGivesOneRatio()
    {
        var events = new List<string>();
        var calls = 0;
        PyTorchResult Fake(int batch)
        {
            calls++;
            events.Add($"pytorch {batch}");
            return new PyTorchResult(batch, "9.9-fake", BestThreads: calls % 2 + 1, StepsPerSecond: 100 * calls);
        }
        var settings = PyTorchSettings;
        var report = WithThreadsRestored(() => BenchRunner.Run(settings, line => { if (line.StartsWith("against PyTorch")) events.Add(line); }, Fake));

        Assert.Equal(settings.Batches, report.PyTorch.Select(p => p.Batch));
        var expectedEvents = settings.Batches.SelectMany(b => Enumerable.Range(1, 3).SelectMany(r =>
            new[] { $"against PyTorch, fused, batch {b}: round {r} of 3", $"pytorch {b}" }));
        Assert.Equal(expectedEvents, events);
        for (var i = 0; i < report.PyTorch.Count; i++)
        {
            var p = report.PyTorch[i];
            Assert.Equal("9.9-fake", p.Version);
            Assert.Equal([1, 2], p.BestThreads);
            Assert.Equal(Enumerable.Range(3 * i + 1, 3).Select(c => 100.0 * c), p.PyTorch.Samples);
            Assert.Equal(settings.Repetitions, p.TorchLoss.Samples.Count);
            Assert.Equal(settings.Repetitions, p.Ratio.Samples.Count);
            Assert.All(p.TorchLoss.Samples, s => Assert.True(s > 0));
            for (var round = 0; round < settings.Repetitions; round++)
                Assert.Equal(p.TorchLoss.Samples[round] / p.PyTorch.Samples[round], p.Ratio.Samples[round]);
        }
    }

    [Fact]
    public void AFailingPyTorchRunStillLeavesTheThreadSettingsAsTheBenchFoundThem()
    {
        var settings = PyTorchSettings with { Batches = [4], Repetitions = 1 };
        var e = WithThreadsRestored(() =>
            Assert.Throws<IOException>(() => BenchRunner.Run(settings, null, _ => throw new IOException("the PyTorch baseline failed"))));
        Assert.Equal("the PyTorch baseline failed", e.Message);
    }

    [Fact]
    public void NoComparisonWithoutAPyTorchResultOrWithoutTheSoftmaxHead()
    {
        var calls = 0;
        var settings = PyTorchSettings with { Batches = [4], Repetitions = 2 };
        var report = WithThreadsRestored(() => BenchRunner.Run(settings, null, _ => { calls++; return null; }));
        Assert.Empty(report.PyTorch);
        Assert.Equal(1, calls);

        calls = 0;
        report = WithThreadsRestored(() => BenchRunner.Run(settings with { Heads = ["sigmoid-mse"] }, null,
            b => { calls++; return new PyTorchResult(b, "x", 1, 1); }));
        Assert.Empty(report.PyTorch);
        Assert.Equal(0, calls);
        Assert.Contains(report.Skipped, s => s.Setting == "PyTorch baseline" && s.Reason.Contains("softmax-ce"));

        // Without an engine's default threads among those measured there is nothing to compare with, and the report says so
        // (PyTorchSettings measures the fused engine's default threads, which are not autograd's).
        report = WithThreadsRestored(() => BenchRunner.Run(settings with { Engines = [TrainingEngine.Autograd] }, null,
            b => { calls++; return new PyTorchResult(b, "x", 1, 1); }));
        Assert.Empty(report.PyTorch);
        Assert.Equal(0, calls);
        Assert.Contains(report.Skipped, s => s.Setting == "PyTorch baseline" && s.Reason.Contains("no such setting was measured"));
    }

    [Fact]
    public void ABenchWithoutWarmUpStillMeasures()
    {
        var settings = new BenchSettings { Devices = ["cpu"], Batches = [4], Widths = [16, 4], CpuThreads = [(1, 1)], WarmupSteps = 0, Steps = 2, Repetitions = 1 };
        var report = WithThreadsRestored(() => BenchRunner.Run(settings));
        Assert.Equal(["cpu, fused, 1 intra-op, ", "cpu, autograd, 1 intra-op, "], report.Settings.Select(s => s.Setting[..^"1 BLAS".Length]));
        Assert.All(report.Settings, s => Assert.True(s.Throughput.Single().StepsPerSecond.Median > 0));
    }

    [Theory]
    [InlineData("'abc' is not an integer >= 1", "--batches", "32,abc")]
    [InlineData("'abc' is not an integer >= 1", "--batch", "32,abc")]
    [InlineData("unknown head 'hinge'", "--heads", "softmax-ce,hinge")]
    [InlineData("is not INTRAxBLAS", "--threads", "1y2")]
    [InlineData("unknown head 'hinge'", "--head", "hinge")]
    [InlineData("unknown device 'tpu'", "--device", "tpu")]
    [InlineData("--engine: 'auto' is not an engine bench measures: fused or autograd", "--engine", "auto")]
    [InlineData("--engine: 'auto' is not an engine bench measures: fused or autograd", "--engine", "fused,auto")]
    [InlineData("--engine: 'bogus' is not an engine bench measures: fused or autograd", "--engine", "bogus")]
    public void BadOptionsGiveOneLineAndExitCode2(string message, string option, string value)
    {
        var root = new RootCommand("test") { BenchCommand.Create() };
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run(root, ["bench", option, value], stderr));
        Assert.Contains(message, stderr.ToString());
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }
}
