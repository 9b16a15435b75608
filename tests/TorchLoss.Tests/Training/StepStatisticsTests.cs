using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>The host-side record of <see cref="StepStatistics"/>, which the fused step uses: sums and maxima over an interval,
/// the light mode, and no mixing with device records within one interval.</summary>
public class StepStatisticsTests
{
    static readonly string[] Names = ["layer1.weight", "layer1.bias"];

    [Fact]
    public void HostRecordsGiveMeansPerExampleAndPerStepAndMaximaOverSteps()
    {
        using var statistics = new StepStatistics(Names);
        // loss sum, correct, dz norm sum, saturated, true-class probability sum, wrongly saturated, then the two gradient norms
        statistics.Record([6.0, 3, 2.0, 4, 1.5, 1, 0.5, 0.25], batch: 4, outputCount: 12);
        statistics.Record([2.0, 1, 1.0, 0, 0.5, 0, 0.1, 0.75], batch: 2, outputCount: 6);
        var s = statistics.Flush();
        Assert.Equal((2L, 6L, 18L), (s.Steps, s.Examples, s.Outputs));
        Assert.Equal(8.0 / 6, s.Loss, 15);
        Assert.Equal(4.0 / 6, s.Accuracy, 15);
        Assert.Equal(3.0 / 6, s.OutputGradientNorm, 15);
        Assert.Equal(4.0 / 18, s.SaturatedFraction, 15);
        Assert.Equal(2.0 / 6, s.TrueClassProbability, 15);
        Assert.Equal(1.0 / 18, s.WrongSaturatedFraction, 15);
        Assert.Equal(new GradientNorm(0.3, 0.5), s.GradientNorms["layer1.weight"]);
        Assert.Equal(new GradientNorm(0.5, 0.75), s.GradientNorms["layer1.bias"]);
        Assert.Equal([0.6, 1.0], s.GradientNormSums);
        // Only records read from tensors are timed (bench's direct measure); the fused step's happen inside its own step.
        Assert.Equal((0L, TimeSpan.Zero), (statistics.TimedRecords, statistics.RecordingTime));
        // Flushing starts a new interval.
        Assert.Throws<InvalidOperationException>(() => statistics.Flush());
        statistics.Record([1.0, 1, 1, 1, 1, 0, 2, 3], 1, 3);
        Assert.Equal(new GradientNorm(2, 2), statistics.Flush().GradientNorms["layer1.weight"]);
    }

    [Fact]
    public void WithoutFullStatisticsOnlyLossAndAccuracyAreReadAndTheRestIsNaN()
    {
        using var statistics = new StepStatistics(Names, full: false);
        Assert.False(statistics.Full);
        statistics.Record([6.0, 3], batch: 4, outputCount: 12);
        var s = statistics.Flush();
        Assert.Equal((1.5, 0.75), (s.Loss, s.Accuracy));
        Assert.True(double.IsNaN(s.OutputGradientNorm));
        Assert.True(double.IsNaN(s.SaturatedFraction));
        Assert.True(double.IsNaN(s.TrueClassProbability));
        Assert.True(double.IsNaN(s.WrongSaturatedFraction));
        Assert.All(s.GradientNorms.Values, n => Assert.True(double.IsNaN(n.Mean) && double.IsNaN(n.Max)));
    }

    [Fact]
    public void AShortHostRecordIsRefused()
    {
        using var full = new StepStatistics(Names);
        var e = Assert.Throws<ArgumentException>(() => full.Record([1.0, 2, 3, 4, 5, 6, 7], 1, 1));
        Assert.Contains("expected 8 values, got 7", e.Message);
        using var light = new StepStatistics(Names, full: false);
        Assert.Throws<ArgumentException>(() => light.Record([1.0], 1, 1));
    }

    [Theory]
    [InlineData(TrainingEngine.Autograd, TrainingEngine.Fused)]
    [InlineData(TrainingEngine.Fused, TrainingEngine.Autograd)]
    public void DeviceAndHostRecordsCannotBeMixedInOneInterval(TrainingEngine first, TrainingEngine second)
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Sigmoid, ScalarType.Float64, seed: 4);
        var head = HeadCatalog.Create("softmax-ce");
        using var sgd = optim.SGD(model.parameters(), 0.1);
        // Autograd's statistics stay on the device as on a GPU; on the CPU by default they are read on the host (below).
        using var statistics = new StepStatistics(Trainer.ParameterNames(model), nativeOnCpu: false);
        using var a = TrainingEngines.Create(first, model, head, sgd, statistics);
        using var b = TrainingEngines.Create(second, model, head, sgd, statistics);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 1);
        a.Run(batch);
        var e = Assert.Throws<InvalidOperationException>(() => b.Run(batch));
        Assert.Contains("cannot be mixed", e.Message);
        // The refused record must not have counted: the interval holds the first step only, and after it a new interval may
        // use the other kind.
        var interval = statistics.Flush();
        Assert.Equal((1L, 5L), (interval.Steps, interval.Examples));
        Assert.True(double.IsFinite(interval.Loss));
        b.Run(batch);
        Assert.Equal(1, statistics.Flush().Steps);
    }

    [Fact]
    public void OnTheCpuAutogradAndFusedRecordsShareAnInterval()
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Sigmoid, ScalarType.Float64, seed: 4);
        var head = HeadCatalog.Create("softmax-ce");
        using var sgd = optim.SGD(model.parameters(), 0.1);
        using var statistics = new StepStatistics(Trainer.ParameterNames(model));
        using var autograd = TrainingEngines.Create(TrainingEngine.Autograd, model, head, sgd, statistics);
        using var fused = TrainingEngines.Create(TrainingEngine.Fused, model, head, sgd, statistics);
        using var scope = torch.NewDisposeScope();
        autograd.Run(MakeBatch(5, 6, 4, ScalarType.Float64, seed: 1));
        fused.Run(MakeBatch(3, 6, 4, ScalarType.Float64, seed: 2));
        var interval = statistics.Flush();
        Assert.Equal((2L, 8L, 32L), (interval.Steps, interval.Examples, interval.Outputs));
        Assert.True(double.IsFinite(interval.OutputGradientNorm) && interval.OutputGradientNorm > 0);
    }
}
