using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Tests.Torch;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Training;

/// <summary>
/// The fused step against the autograd step, which it replaces: the same model trained the same steps by each must
/// end with the same parameters and record the same step statistics (float64: up to rounding).
/// </summary>
public class FusedStepTests
{
    const double LearningRate = 0.3;
    const int Steps = 3;

    /// <summary>Every head in the registry, with both squared-error reductions where the head has them.</summary>
    internal static IEnumerable<(string Head, SquaredErrorReduction Reduction)> Heads()
    {
        foreach (var name in HeadCatalog.Names)
        {
            yield return (name, SquaredErrorReduction.HalfSum);
            if (HeadCatalog.Create(name) is SoftmaxSquaredErrorHead or SigmoidSquaredErrorHead or LogitSquaredErrorHead)
                yield return (name, SquaredErrorReduction.MeanOverClasses);
        }
    }

    static OutputHead Head(string name, SquaredErrorReduction reduction) =>
        HeadCatalog.Create(name, new HeadOptions(reduction, TrueClassWeight: 3, TrueClassTarget: 2));

    public static TheoryData<string, SquaredErrorReduction, HiddenActivation, string> OneHiddenLayer()
    {
        var data = new TheoryData<string, SquaredErrorReduction, HiddenActivation, string>();
        foreach (var (head, reduction) in Heads())
            foreach (var activation in Enum.GetValues<HiddenActivation>())
                foreach (var sgd in SgdCase.All.Keys)
                    data.Add(head, reduction, activation, sgd);
        return data;
    }

    public static TheoryData<string, SquaredErrorReduction, HiddenActivation, string> Binary()
    {
        var data = new TheoryData<string, SquaredErrorReduction, HiddenActivation, string>();
        foreach (var (head, reduction) in Heads().Where(h => Head(h.Head, h.Reduction).MinOutputs == 1))
            foreach (var activation in Enum.GetValues<HiddenActivation>())
                foreach (var sgd in SgdCase.All.Keys)
                    data.Add(head, reduction, activation, sgd);
        return data;
    }

    public static TheoryData<string, SquaredErrorReduction, string> EveryHead()
    {
        var data = new TheoryData<string, SquaredErrorReduction, string>();
        foreach (var (head, reduction) in Heads())
        {
            data.Add(head, reduction, "6-4");
            if (Head(head, reduction).MinOutputs == 1) data.Add(head, reduction, "6-1");
        }
        return data;
    }

    public static TheoryData<string, SquaredErrorReduction, HiddenActivation> EveryHeadAndActivation()
    {
        var data = new TheoryData<string, SquaredErrorReduction, HiddenActivation>();
        foreach (var (head, reduction) in Heads())
            foreach (var activation in Enum.GetValues<HiddenActivation>())
                data.Add(head, reduction, activation);
        return data;
    }

    [Theory]
    [MemberData(nameof(OneHiddenLayer))]
    public void OneHiddenLayerMatchesAutograd(string head, SquaredErrorReduction reduction, HiddenActivation activation, string sgd) =>
        AssertMatchesAutograd(head, reduction, "6-3-4", activation, sgd);

    [Theory]
    [MemberData(nameof(Binary))]
    public void ABinaryModelMatchesAutograd(string head, SquaredErrorReduction reduction, HiddenActivation activation, string sgd) =>
        AssertMatchesAutograd(head, reduction, "6-3-1", activation, sgd);

    [Theory]
    [MemberData(nameof(EveryHead))]
    public void ALinearModelMatchesAutograd(string head, SquaredErrorReduction reduction, string widths) =>
        AssertMatchesAutograd(head, reduction, widths, HiddenActivation.Sigmoid, "momentum");

    [Theory]
    [MemberData(nameof(EveryHeadAndActivation))]
    public void ThreeHiddenLayersMatchAutograd(string head, SquaredErrorReduction reduction, HiddenActivation activation) =>
        AssertMatchesAutograd(head, reduction, "6-5-4-3-4", activation, "dampening+decay");

    /// <summary>Large weights push outputs into saturation, so the saturation count is compared where it is not zero.</summary>
    [Theory]
    [MemberData(nameof(EveryHeadAndActivation))]
    public void SaturatedModelsMatchAutograd(string head, SquaredErrorReduction reduction, HiddenActivation activation)
    {
        var (_, fused) = AssertMatchesAutograd(head, reduction, "6-3-4", activation, "momentum", weightScale: 12);
        Assert.True(fused.Statistics.SaturatedFraction > 0, $"no saturated output at weight scale 12: {fused.Statistics.SaturatedFraction}");
    }

    static (TrainedState Autograd, TrainedState Fused) AssertMatchesAutograd(string headName, SquaredErrorReduction reduction, string widthsText,
        HiddenActivation activation, string sgdName, double weightScale = 1)
    {
        var head = Head(headName, reduction);
        var widths = Widths(widthsText);
        var outputs = widths[^1];
        // Binary logit-mse predicts 1 above M/2 = 1: centre the logits there so that both predictions occur.
        var outputBias = outputs == 1 && head is LogitSquaredErrorHead ? 1.0 : 0;
        var sgd = SgdCase.All[sgdName];
        Sequential Build() => Mlp(widths, activation, ScalarType.Float64, seed: 17, weightScale, outputBias);
        Batch BatchAt(int step) => MakeBatch(7 + step, widths[0], LabelLimit(outputs), ScalarType.Float64, seed: 100 + step);

        var autograd = Train(TrainingEngine.Autograd, Build, head, sgd, LearningRate, BatchAt, Steps);
        var fused = Train(TrainingEngine.Fused, Build, head, sgd, LearningRate, BatchAt, Steps);
        var what = $"{headName} ({reduction}), {widthsText} {activation}, {sgdName}";
        using (var initial = Build()) AssertMoved(Values(initial), autograd.Parameters, what);
        AssertSameParameters(autograd.Parameters, fused.Parameters, 1e-10, what);
        AssertSameStatistics(autograd.Statistics, fused.Statistics, 1e-9, what);
        return (autograd, fused);
    }

    // Guards against a vacuous comparison: the steps must have changed every parameter tensor.
    static void AssertMoved(double[][] initial, double[][] trained, string what)
    {
        for (var i = 0; i < initial.Length; i++)
            Assert.True(initial[i].Zip(trained[i], (a, b) => Math.Abs(a - b)).Max() > 1e-6, $"{what}: parameter {i} did not move");
    }

    [Fact]
    public void ABinaryLogitSquaredErrorModelPredictsOneAboveHalfTheTarget()
    {
        // z = x exactly (weight 1, bias 0) with M = 2: z > 1 predicts 1.
        using var scope = torch.NewDisposeScope();
        using var model = nn.Sequential(("layer1", nn.Linear(1, 1, dtype: ScalarType.Float64)));
        using (torch.no_grad())
        {
            model.parameters().First().fill_(1.0);
            model.parameters().Last().fill_(0.0);
        }
        var batch = new Batch(torch.tensor(new[] { 0.5, 0.9, 1.1, 1.5, 3.0, -1 }, [6, 1]), torch.tensor(new long[] { 0, 0, 1, 1, 0, 0 }));
        // Predictions 0, 0, 1, 1, 1, 0: right for all but example 4 (a boundary at 0 would get examples 0, 1 and 4 wrong).
        foreach (var engine in new[] { TrainingEngine.Autograd, TrainingEngine.Fused })
        {
            using var optimizer = optim.SGD(model.parameters(), 1e-9);
            using var statistics = new StepStatistics(Trainer.ParameterNames(model));
            using var step = TrainingEngines.Create(engine, model, Head("logit-mse", SquaredErrorReduction.HalfSum), optimizer, statistics);
            Assert.Equal(engine, step.Engine);
            step.Run(batch);
            Assert.Equal(5.0 / 6, statistics.Flush().Accuracy, 12);
        }
    }

    [Theory]
    [InlineData("softmax-ce", HiddenActivation.Sigmoid)]
    [InlineData("softmax-ce", HiddenActivation.Tanh)]
    [InlineData("softmax-ce", HiddenActivation.Relu)]
    [InlineData("softmax-mse", HiddenActivation.Sigmoid)]
    [InlineData("sigmoid-mse", HiddenActivation.Sigmoid)]
    [InlineData("sigmoid-bce", HiddenActivation.Tanh)]
    [InlineData("logit-mse", HiddenActivation.Relu)]
    public void Float32MatchesAutogradToSinglePrecision(string headName, HiddenActivation activation)
    {
        var head = Head(headName, SquaredErrorReduction.HalfSum);
        int[] widths = [20, 16, 16, 10];
        var sgd = SgdCase.All["momentum"];
        Sequential Build() => Mlp(widths, activation, ScalarType.Float32, seed: 5);
        Batch BatchAt(int step) => MakeBatch(32, widths[0], 10, ScalarType.Float32, seed: 200 + step);
        var autograd = Train(TrainingEngine.Autograd, Build, head, sgd, 0.1, BatchAt, steps: 5);
        var fused = Train(TrainingEngine.Fused, Build, head, sgd, 0.1, BatchAt, steps: 5);
        using (var initial = Build()) AssertMoved(Values(initial), autograd.Parameters, headName);
        AssertSameParameters(autograd.Parameters, fused.Parameters, 1e-5, $"{headName} float32");
        TensorAssert.Close(autograd.Statistics.Loss, fused.Statistics.Loss, 1e-5 * autograd.Statistics.Loss);
        foreach (var (name, norm) in autograd.Statistics.GradientNorms)
            TensorAssert.Close(norm.Mean, fused.Statistics.GradientNorms[name].Mean, 1e-4 * norm.Mean);
    }

    [Fact]
    public void WithoutFullStatisticsTheFusedStepRecordsTheSameLossAndAccuracyAndNaNForTheRest()
    {
        var head = Head("softmax-ce", SquaredErrorReduction.HalfSum);
        int[] widths = [6, 3, 4];
        Sequential Build() => Mlp(widths, HiddenActivation.Tanh, ScalarType.Float64, seed: 3);
        Batch BatchAt(int step) => MakeBatch(9, 6, 4, ScalarType.Float64, seed: step);
        var full = Train(TrainingEngine.Autograd, Build, head, SgdCase.All["momentum"], LearningRate, BatchAt, Steps);
        var light = Train(TrainingEngine.Fused, Build, head, SgdCase.All["momentum"], LearningRate, BatchAt, Steps, fullStatistics: false);
        AssertSameParameters(full.Parameters, light.Parameters, 1e-10, "without statistics");
        Assert.Equal(full.Statistics.Loss, light.Statistics.Loss, 12);
        Assert.Equal(full.Statistics.Accuracy, light.Statistics.Accuracy, 12);
        Assert.True(double.IsNaN(light.Statistics.OutputGradientNorm));
        Assert.True(double.IsNaN(light.Statistics.SaturatedFraction));
        Assert.True(double.IsNaN(light.Statistics.TrueClassProbability));
        Assert.All(light.Statistics.GradientNorms.Values, n => Assert.True(double.IsNaN(n.Mean) && double.IsNaN(n.Max)));
    }
}

/// <summary>The fused step splits examples and output units over its own threads (the fusedThreads of
/// <see cref="TrainingEngines.Create"/>); the split must not change the result. On the old binding the step used libtorch's
/// intra-op threads, so these tests set that process-wide count and ran serially; the count is now the step's own, so they
/// set nothing global.</summary>
public class FusedStepThreadTests
{
    public static TheoryData<string, SquaredErrorReduction, HiddenActivation, int, int> Cases()
    {
        var data = new TheoryData<string, SquaredErrorReduction, HiddenActivation, int, int>();
        foreach (var (head, reduction) in FusedStepTests.Heads())
            foreach (var activation in Enum.GetValues<HiddenActivation>())
            {
                // Two output units: with 3 threads one thread's block of output units is empty; one output: two are.
                data.Add(head, reduction, activation, 2, 9);
                if (HeadCatalog.Create(head).MinOutputs == 1) data.Add(head, reduction, activation, 1, 9);
            }
        // Fewer examples than threads.
        data.Add("softmax-ce", SquaredErrorReduction.HalfSum, HiddenActivation.Sigmoid, 2, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneTwoAndThreeFusedThreadsGiveTheSameParameters(string headName, SquaredErrorReduction reduction, HiddenActivation activation,
        int outputs, int batchSize)
    {
        int[] widths = [6, 5, 3, outputs];
        var head = HeadCatalog.Create(headName, new HeadOptions(reduction, TrueClassWeight: 3, TrueClassTarget: 2));
        Sequential Build() => Mlp(widths, activation, ScalarType.Float64, seed: 8);
        Batch BatchAt(int step) => MakeBatch(batchSize, 6, 2, ScalarType.Float64, seed: 50 + step);
        var sgd = SgdCase.All["dampening+decay"];
        var autograd = Train(TrainingEngine.Autograd, Build, head, sgd, 0.3, BatchAt, steps: 3);
        var single = Train(TrainingEngine.Fused, Build, head, sgd, 0.3, BatchAt, steps: 3, fusedThreads: 1);
        AssertSameParameters(autograd.Parameters, single.Parameters, 1e-10, "1 thread against autograd");
        foreach (var threads in new[] { 2, 3 })
        {
            var several = Train(TrainingEngine.Fused, Build, head, sgd, 0.3, BatchAt, steps: 3, fusedThreads: threads);
            AssertSameParameters(single.Parameters, several.Parameters, 1e-12, $"{threads} threads against 1");
            AssertSameStatistics(single.Statistics, several.Statistics, 1e-12, $"{threads} threads against 1");
            AssertSameStatistics(autograd.Statistics, several.Statistics, 1e-9, $"{threads} threads against autograd");
        }
    }
}
