using TorchLoss.Data;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchSharp;
using static TorchSharp.torch;
using TorchLoss.Training;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>
/// The fused step keeps its momentum in the <see cref="Sgd"/> it was given: the buffers must start as the first gradient
/// (as PyTorch's do, which with dampening differs from starting at zero), count steps, and survive a save and restore.
/// </summary>
public class FusedMomentumTests
{
    static readonly int[] Widths = [6, 4, 3];
    static readonly OutputHead Head = HeadCatalog.Create("softmax-mse");
    const double LearningRate = 0.4;

    static Sequential Build() => Mlp(Widths, HiddenActivation.Tanh, ScalarType.Float64, seed: 21);

    static Sgd Optimizer(Sequential model) => new(model.parameters(), LearningRate, momentum: 0.9, dampening: 0.3, weightDecay: 0.02);

    static Batch BatchAt(int step) => MakeBatch(8, Widths[0], Widths[^1], ScalarType.Float64, seed: 300 + step);

    /// <summary>A model and optimizer trained by one engine, step by step.</summary>
    sealed class Run : IDisposable
    {
        public readonly Sequential Model;
        public readonly Sgd Sgd;
        readonly StepStatistics statistics;
        readonly ITrainingStep step;

        readonly bool owns;

        public Run(TrainingEngine engine, Sequential model, Sgd sgd, bool owns = true)
        {
            this.owns = owns;
            Model = model;
            Sgd = sgd;
            statistics = new StepStatistics(Trainer.ParameterNames(model));
            step = TrainingEngines.Create(engine, model, Head, sgd, statistics);
        }

        public void Steps(int first, int count)
        {
            for (var s = first; s < first + count; s++)
                using (torch.NewDisposeScope())
                    step.Run(BatchAt(s));
        }

        public void StepOn(Batch batch) => step.Run(batch);

        public Dictionary<string, double[]> State() => Sgd.State().ToDictionary(s => s.Name, s => Values(s.Value));

        /// <summary>A copy of the model and optimizer, as a checkpoint would restore them, run by <paramref name="engine"/>.</summary>
        public Run Restored(TrainingEngine engine)
        {
            var model = Build();
            model.LoadParameters(Model.NamedParameters().ToDictionary(p => p.Name, p => p.Value));
            var sgd = Optimizer(model);
            sgd.LoadState(Sgd.State().ToDictionary(s => s.Name, s => s.Value), Sgd.StepCount);
            return new Run(engine, model, sgd);
        }

        public void Dispose()
        {
            step.Dispose();
            statistics.Dispose();
            if (!owns) return;
            Sgd.Dispose();
            Model.Dispose();
        }
    }

    static Run Start(TrainingEngine engine)
    {
        var model = Build();
        return new Run(engine, model, Optimizer(model));
    }

    [Fact]
    public void TheFirstFusedStepStartsTheMomentumAsTheGradientWithDampening()
    {
        using var autograd = Start(TrainingEngine.Autograd);
        using var fused = Start(TrainingEngine.Fused);
        Assert.Empty(fused.State());
        autograd.Steps(0, 1);
        fused.Steps(0, 1);
        Assert.Equal(1, fused.Sgd.StepCount);
        var expected = autograd.State();
        var actual = fused.State();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Equal(Widths.Length * 2 - 2, actual.Count);
        // Starting at zero instead would leave (1 - dampening) = 0.7 of the gradient in each buffer.
        AssertSameParameters(expected.Values.ToArray(), actual.Values.ToArray(), 1e-12, "momentum buffers after one step");
        AssertSameParameters(Values(autograd.Model), Values(fused.Model), 1e-12, "parameters after one step");

        autograd.Steps(1, 2);
        fused.Steps(1, 2);
        Assert.Equal(3, fused.Sgd.StepCount);
        AssertSameParameters(autograd.State().Values.ToArray(), fused.State().Values.ToArray(), 1e-10, "momentum buffers after three steps");
        AssertSameParameters(Values(autograd.Model), Values(fused.Model), 1e-10, "parameters after three steps");
    }

    [Theory]
    [InlineData(TrainingEngine.Fused, TrainingEngine.Fused)]
    [InlineData(TrainingEngine.Autograd, TrainingEngine.Fused)]
    [InlineData(TrainingEngine.Fused, TrainingEngine.Autograd)]
    public void AfterSavingAndRestoringTheOptimizerStateTheStepsContinueAsAutogradsWould(TrainingEngine before, TrainingEngine after)
    {
        using var reference = Start(TrainingEngine.Autograd);
        using var first = Start(before);
        reference.Steps(0, 2);
        first.Steps(0, 2);
        using var resumed = first.Restored(after);
        Assert.Equal(2, resumed.Sgd.StepCount);
        reference.Steps(2, 2);
        resumed.Steps(2, 2);
        Assert.Equal(4, resumed.Sgd.StepCount);
        AssertSameParameters(Values(reference.Model), Values(resumed.Model), 1e-10, $"{before} then {after}");
        AssertSameParameters(reference.State().Values.ToArray(), resumed.State().Values.ToArray(), 1e-10, $"{before} then {after}, momentum");
    }

    [Fact]
    public void AnOptimizerRestoredBeforeItsFirstStepStartsItsMomentumFresh()
    {
        using var reference = Start(TrainingEngine.Autograd);
        using var unstarted = Start(TrainingEngine.Fused);
        using var resumed = unstarted.Restored(TrainingEngine.Fused);
        reference.Steps(0, 2);
        resumed.Steps(0, 2);
        AssertSameParameters(Values(reference.Model), Values(resumed.Model), 1e-10, "restored before any step");
    }

    /// <summary>A step the native code refuses must leave the optimizer as it was, as a failed autograd step does: with its
    /// momentum still to start as the next gradient, whichever engine takes that step.</summary>
    [Theory]
    [InlineData(TrainingEngine.Fused)]
    [InlineData(TrainingEngine.Autograd)]
    public void AFailedFusedStepLeavesTheMomentumFresh(TrainingEngine next)
    {
        using var reference = Start(TrainingEngine.Autograd);
        using var fused = Start(TrainingEngine.Fused);
        using (torch.NewDisposeScope())
        {
            var bad = BatchAt(0);
            var labels = torch.tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 0 });
            var e = Assert.Throws<TorchException>(() => fused.StepOn(new Batch(bad.X, labels)));
            Assert.Contains("label 3 is outside [0, 3)", e.Message);
        }
        Assert.Equal(0, fused.Sgd.StepCount);
        Assert.Empty(fused.State());
        using var continued = next == TrainingEngine.Fused ? null : new Run(next, fused.Model, fused.Sgd, owns: false);
        reference.Steps(0, 2);
        (continued ?? fused).Steps(0, 2);
        AssertSameParameters(Values(reference.Model), Values(fused.Model), 1e-10, $"{next} after a failed first step");
    }

    [Fact]
    public void MomentumForSomeParametersOnlyIsRefused()
    {
        using var fused = Start(TrainingEngine.Fused);
        using (var buffer = torch.zeros(fused.Model.parameters()[0].shape, ScalarType.Float64))
            fused.Sgd.LoadState(new Dictionary<string, Tensor> { ["momentum.0"] = buffer }, 1);
        var e = Assert.Throws<InvalidOperationException>(() => fused.Steps(0, 1));
        Assert.Contains("some parameters have momentum and some do not", e.Message);
    }
}
