using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Runs;
using TorchLoss.Tests.Data;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>
/// The fused step keeps its momentum in TorchSharp's <see cref="SGD"/> it was given: the buffers must start as the first
/// gradient (as PyTorch's do, which with dampening differs from starting at zero), and survive a checkpoint (the model
/// through <see cref="ModelFile"/>, the optimizer state through <see cref="Optimizers.State"/> and
/// <see cref="Optimizers.LoadState"/> in a <see cref="ParameterFile"/>, as <see cref="Checkpoint"/> writes them).
/// TorchSharp's SGD keeps no step count (the old binding's did, and these tests checked it): the momentum buffers are the
/// whole of its state, and they are compared here.
/// </summary>
public class FusedMomentumTests
{
    static readonly int[] Widths = [6, 4, 3];
    static readonly OutputHead Head = HeadCatalog.Create("softmax-mse");
    const double LearningRate = 0.4;

    static Sequential Build() => Mlp(Widths, HiddenActivation.Tanh, ScalarType.Float64, seed: 21);

    static SGD Optimizer(Sequential model) => optim.SGD(model.parameters(), LearningRate, momentum: 0.9, dampening: 0.3, weight_decay: 0.02);

    static Batch BatchAt(int step) => MakeBatch(8, Widths[0], Widths[^1], ScalarType.Float64, seed: 300 + step);

    /// <summary>A model and optimizer trained by one engine, step by step.</summary>
    sealed class Run : IDisposable
    {
        public readonly Sequential Model;
        public readonly SGD Sgd;
        readonly StepStatistics statistics;
        readonly ITrainingStep step;

        readonly bool owns;

        public Run(TrainingEngine engine, Sequential model, SGD sgd, bool owns = true)
        {
            this.owns = owns;
            Model = model;
            Sgd = sgd;
            statistics = new StepStatistics(Trainer.ParameterNames(model));
            step = TrainingEngines.Create(engine, model, Head, sgd, statistics);
            Assert.Equal(engine, step.Engine);
        }

        public void Steps(int first, int count)
        {
            for (var s = first; s < first + count; s++)
                using (torch.NewDisposeScope())
                    step.Run(BatchAt(s));
        }

        public void StepOn(Batch batch) => step.Run(batch);

        /// <summary>The optimizer's state by name ("0.momentum_buffer", ...), as float64 values.</summary>
        public Dictionary<string, double[]> State()
        {
            var state = Sgd.State();
            try { return state.ToDictionary(s => s.Name, s => Values(s.Value)); }
            finally { foreach (var (_, t) in state) t.Dispose(); }
        }

        /// <summary>A copy of the model and optimizer, as a checkpoint restores them (through files), run by
        /// <paramref name="engine"/>.</summary>
        public Run Restored(TrainingEngine engine)
        {
            using var folder = new TempDirectory();
            ModelFile.Save(Model, folder["model.params"]);
            var state = Sgd.State();
            try { ParameterFile.Write(folder["optimizer.params"], state); }
            finally { foreach (var (_, t) in state) t.Dispose(); }

            var model = Build();
            using (torch.no_grad())
                foreach (var p in model.parameters()) p.zero_();
            ModelFile.Load(model, folder["model.params"]);
            var sgd = Optimizer(model);
            var saved = ParameterFile.Read(folder["optimizer.params"]);
            try { sgd.LoadState(saved); }
            finally { foreach (var t in saved.Values) t.Dispose(); }
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
        var expected = autograd.State();
        var actual = fused.State();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Equal(Widths.Length * 2 - 2, actual.Count);
        // Starting at zero instead would leave (1 - dampening) = 0.7 of the gradient in each buffer.
        AssertSameParameters(expected.Values.ToArray(), actual.Values.ToArray(), 1e-12, "momentum buffers after one step");
        AssertSameParameters(Values(autograd.Model), Values(fused.Model), 1e-12, "parameters after one step");

        autograd.Steps(1, 2);
        fused.Steps(1, 2);
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
        // What the old binding's restored step count stood for: the restored optimizer holds every buffer, as it was.
        Assert.Equal(Widths.Length * 2 - 2, resumed.State().Count);
        AssertSameParameters(first.State().Values.ToArray(), resumed.State().Values.ToArray(), 0, $"{before}, momentum restored");
        AssertSameParameters(Values(first.Model), Values(resumed.Model), 0, $"{before}, parameters restored");
        reference.Steps(2, 2);
        resumed.Steps(2, 2);
        AssertSameParameters(Values(reference.Model), Values(resumed.Model), 1e-10, $"{before} then {after}");
        AssertSameParameters(reference.State().Values.ToArray(), resumed.State().Values.ToArray(), 1e-10, $"{before} then {after}, momentum");
    }

    [Fact]
    public void AnOptimizerRestoredBeforeItsFirstStepStartsItsMomentumFresh()
    {
        using var reference = Start(TrainingEngine.Autograd);
        using var unstarted = Start(TrainingEngine.Fused);
        using var resumed = unstarted.Restored(TrainingEngine.Fused);
        Assert.Empty(resumed.State());
        reference.Steps(0, 2);
        resumed.Steps(0, 2);
        AssertSameParameters(Values(reference.Model), Values(resumed.Model), 1e-10, "restored before any step");
        AssertSameParameters(reference.State().Values.ToArray(), resumed.State().Values.ToArray(), 1e-10, "restored before any step, momentum");
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
        var before = Values(fused.Model);
        using (torch.NewDisposeScope())
        {
            var bad = BatchAt(0);
            var labels = torch.tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 0 });
            // The old binding's native check threw a TorchException; FusedMlp now checks labels itself, as ArgumentException.
            var e = Assert.Throws<ArgumentException>(() => fused.StepOn(new Batch(bad.X, labels)));
            Assert.Contains("label 3 is outside [0, 3)", e.Message);
        }
        Assert.Empty(fused.State());
        AssertSameParameters(before, Values(fused.Model), 0, "after the refused step");
        using var continued = next == TrainingEngine.Fused ? null : new Run(next, fused.Model, fused.Sgd, owns: false);
        reference.Steps(0, 2);
        (continued ?? fused).Steps(0, 2);
        AssertSameParameters(Values(reference.Model), Values(fused.Model), 1e-10, $"{next} after a failed first step");
        AssertSameParameters(reference.State().Values.ToArray(), fused.State().Values.ToArray(), 1e-10, $"{next} after a failed first step, momentum");
    }

    [Fact]
    public void MomentumForSomeParametersOnlyIsRefused()
    {
        using var fused = Start(TrainingEngine.Fused);
        using (var buffer = torch.full(fused.Model.parameters().First().shape, 0.25, ScalarType.Float64))
            fused.Sgd.LoadState(new Dictionary<string, Tensor> { ["0.momentum_buffer"] = buffer });
        var before = Values(fused.Model);
        var e = Assert.Throws<InvalidOperationException>(() => fused.Steps(0, 1));
        Assert.Contains("some parameters have momentum and some do not", e.Message);
        // Refused before anything changed: the one buffer is still there as loaded, the others still missing.
        var state = fused.State();
        Assert.Equal(["0.momentum_buffer"], state.Keys);
        Assert.All(state["0.momentum_buffer"], v => Assert.Equal(0.25, v));
        AssertSameParameters(before, Values(fused.Model), 0, "after the refused step");
    }
}
