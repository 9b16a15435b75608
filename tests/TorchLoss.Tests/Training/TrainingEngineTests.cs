using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Tests.Fused;
using TorchLoss.Tests.Torch;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>Choosing the engine: auto takes the fused step where it can and says why not where it cannot; asking for the
/// fused step where it cannot run is a FormatException that says why.</summary>
public class TrainingEngineTests
{
    static readonly OutputHead Head = HeadCatalog.Create("softmax-ce");

    [Theory]
    [InlineData("auto", TrainingEngine.Auto)]
    [InlineData("fused", TrainingEngine.Fused)]
    [InlineData(" Autograd ", TrainingEngine.Autograd)]
    public void NamesParseAndRoundTrip(string text, TrainingEngine engine)
    {
        Assert.Equal(engine, TrainingEngines.Parse(text));
        Assert.Equal(engine, TrainingEngines.Parse(engine.Name()));
    }

    [Fact]
    public void AnUnknownEngineNamesTheValidOnes()
    {
        var e = Assert.Throws<FormatException>(() => TrainingEngines.Parse("bogus"));
        Assert.Equal("unknown engine 'bogus': expected one of auto, fused, autograd, closed-form", e.Message);
    }

    [Fact]
    public void SgdOnASupportedModelRunsFusedUnlessAutogradIsAsked()
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Relu, ScalarType.Float32, seed: 1);
        using var sgd = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        Assert.Equal((TrainingEngine.Fused, (string?)null), TrainingEngines.Resolve(TrainingEngine.Auto, model, Head, sgd));
        Assert.Equal((TrainingEngine.Fused, (string?)null), TrainingEngines.Resolve(TrainingEngine.Fused, model, Head, sgd));
        Assert.Equal((TrainingEngine.Autograd, (string?)null), TrainingEngines.Resolve(TrainingEngine.Autograd, model, Head, sgd));
        using var statistics = new StepStatistics(Trainer.ParameterNames(model));
        using (var fused = TrainingEngines.Create(TrainingEngine.Fused, model, Head, sgd, statistics)) Assert.IsType<FusedStep>(fused);
        using (var autograd = TrainingEngines.Create(TrainingEngine.Autograd, model, Head, sgd, statistics)) Assert.IsType<AutogradStep>(autograd);
        Assert.Throws<ArgumentException>(() => TrainingEngines.Create(TrainingEngine.Auto, model, Head, sgd, statistics));
    }

    [Fact]
    public void AdamFallsBackToAutogradUnderAutoAndIsRefusedUnderFused()
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Sigmoid, ScalarType.Float32, seed: 1);
        using var adam = optim.Adam(model.parameters(), 0.01);
        var (engine, reason) = TrainingEngines.Resolve(TrainingEngine.Auto, model, Head, adam);
        Assert.Equal(TrainingEngine.Autograd, engine);
        Assert.Equal("the fused step implements SGD only", reason);
        var e = Assert.Throws<FormatException>(() => TrainingEngines.Resolve(TrainingEngine.Fused, model, Head, adam));
        Assert.Equal("--engine fused cannot run this configuration: the fused step implements SGD only", e.Message);
        Assert.Equal((TrainingEngine.Autograd, (string?)null), TrainingEngines.Resolve(TrainingEngine.Autograd, model, Head, adam));
    }

    [Theory]
    [MemberData(nameof(FusedMlpTests.UnsupportedModels), MemberType = typeof(FusedMlpTests))]
    public void AnUnsupportedModelFallsBackUnderAutoAndIsRefusedNamingTheReasonUnderFused(string name, string reason)
    {
        using var model = FusedMlpTests.Unsupported(name);
        // An optimizer needs a parameter: the empty model lends it one of its own.
        using var sgd = optim.SGD(model.parameters().DefaultIfEmpty(new Parameter(torch.zeros([1]))).ToList(), 0.1);
        var (engine, fallback) = TrainingEngines.Resolve(TrainingEngine.Auto, model, Head, sgd);
        Assert.Equal(TrainingEngine.Autograd, engine);
        Assert.Contains(reason, fallback);
        var e = Assert.Throws<FormatException>(() => TrainingEngines.Resolve(TrainingEngine.Fused, model, Head, sgd));
        Assert.StartsWith("--engine fused cannot run this configuration: ", e.Message);
        Assert.Contains(reason, e.Message);
        using var statistics = new StepStatistics(Trainer.ParameterNames(model));
        Assert.Contains(reason, Assert.Throws<NotSupportedException>(() => TrainingEngines.Create(TrainingEngine.Fused, model, Head, sgd, statistics)).Message);
    }

    [Fact]
    public void AHeadWithoutAFusedFormFallsBack()
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Sigmoid, ScalarType.Float32, seed: 1);
        using var sgd = optim.SGD(model.parameters(), 0.1);
        var head = new IdentitySquaredErrorHead();
        Assert.Equal((TrainingEngine.Autograd, "head identity-test has no fused form"), TrainingEngines.Resolve(TrainingEngine.Auto, model, head, sgd));
        var e = Assert.Throws<FormatException>(() => TrainingEngines.Resolve(TrainingEngine.Fused, model, head, sgd));
        Assert.Contains("head identity-test has no fused form", e.Message);
        using var statistics = new StepStatistics(Trainer.ParameterNames(model));
        Assert.Throws<NotSupportedException>(() => new FusedStep(model, head, sgd, statistics, threads: 1));
    }

    [Fact]
    public void EveryRegisteredHeadHasAFusedForm()
    {
        foreach (var name in HeadCatalog.Names)
        {
            Assert.NotNull(FusedStep.FormOf(HeadCatalog.Create(name), 4));
            if (HeadCatalog.Create(name).MinOutputs == 1) Assert.NotNull(FusedStep.FormOf(HeadCatalog.Create(name), 1));
        }
    }

    [Fact]
    public void FusedHeadsCarryTheReductionAndTheLogitTargets()
    {
        var mean = FusedStep.FormOf(HeadCatalog.Create("logit-mse", new HeadOptions(SquaredErrorReduction.MeanOverClasses, TrueClassWeight: 3, TrueClassTarget: 2)), 4)!;
        Assert.Equal((0.25, 3.0, 2.0), (mean.SquaredErrorScale, mean.TrueClassWeight, mean.TrueClassTarget));
        Assert.Equal(0.5, FusedStep.FormOf(HeadCatalog.Create("sigmoid-mse"), 4)!.SquaredErrorScale);
        Assert.Equal(0.2, FusedStep.FormOf(HeadCatalog.Create("softmax-mse", new HeadOptions(SquaredErrorReduction.MeanOverClasses)), 5)!.SquaredErrorScale, 15);
    }

    [Fact]
    public void ThreadDefaultsUseOnePoolPerEngine()
    {
        var cores = Environment.ProcessorCount;
        const long small = ThreadSettings.ThreadedBlasFrom - 1, large = ThreadSettings.ThreadedBlasFrom;
        foreach (var size in new[] { small, large })
        {
            Assert.Equal(new ThreadSettings(cores, 1), ThreadSettings.For(TrainingEngine.Fused, size));
            Assert.Equal(new ThreadSettings(cores, 1), ThreadSettings.For(TrainingEngine.Auto, size));
            Assert.Equal(new ThreadSettings(3, 4), ThreadSettings.Resolve(3, 4, TrainingEngine.Fused, size));
            Assert.Equal(ThreadSettings.For(TrainingEngine.Autograd, size), ThreadSettings.Resolve(null, null, TrainingEngine.Autograd, size));
        }
        // Autograd runs MKL on one core for small steps and on every core for large ones.
        Assert.Equal(new ThreadSettings(1, 1), ThreadSettings.For(TrainingEngine.Autograd, small));
        Assert.Equal(new ThreadSettings(1, cores), ThreadSettings.For(TrainingEngine.Autograd, large));
        Assert.Equal(new ThreadSettings(1, cores), ThreadSettings.For(TrainingEngine.ClosedForm, large));
        // The 784-256-256-10 MLP, whose crossover was measured, between batch 256 and 512.
        var parameters = ModelSpec.ParameterCount([784, 256, 256, 10]);
        Assert.Equal(269_322, parameters);
        Assert.Equal(1, ThreadSettings.For(TrainingEngine.Autograd, ThreadSettings.ForwardMultiplyAdds(256, parameters)).Blas);
        Assert.Equal(cores, ThreadSettings.For(TrainingEngine.Autograd, ThreadSettings.ForwardMultiplyAdds(512, parameters)).Blas);
    }

    [Fact]
    public void OneGivenThreadCountLeavesTheOtherPoolTheRemainingCores()
    {
        var cores = Environment.ProcessorCount;
        const long size = 1000;
        // e.g. the fused engine with --blas-threads 2 alone on 2 cores: 1 intra-op thread, not 2 x 2 spinning pools.
        Assert.Equal(new ThreadSettings(Math.Max(1, cores / 2), 2), ThreadSettings.Resolve(null, 2, TrainingEngine.Fused, size));
        Assert.Equal(new ThreadSettings(2, Math.Max(1, cores / 2)), ThreadSettings.Resolve(2, null, TrainingEngine.Autograd, size));
        Assert.Equal(new ThreadSettings(1, cores), ThreadSettings.Resolve(1, null, TrainingEngine.Fused, size));
        Assert.Equal(new ThreadSettings(1, 4 * cores), ThreadSettings.Resolve(null, 4 * cores, TrainingEngine.Fused, size));
    }

    /// <summary>A head the fused step does not know: plain squared error on the logits.</summary>
    sealed class IdentitySquaredErrorHead : OutputHead
    {
        public override string Name => "identity-test";
        public override string Description => "test head";
        public override Tensor Activate(Tensor logits) => logits.alias();
        public override Tensor ExampleLoss(Tensor logits, Tensor targets) => (logits - targets).square().sum(1);
        public override Tensor LogitGradient(Tensor logits, Tensor targets) => (logits - targets) * 2;
    }
}
