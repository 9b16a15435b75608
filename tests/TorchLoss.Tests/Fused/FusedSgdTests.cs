using TorchLoss.Fused;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchLoss.Tests.Fused.FusedModels;

namespace TorchLoss.Tests.Fused;

/// <summary>
/// Fused steps against autograd with torch.optim.SGD, which they replace: the same model trained the same steps on the
/// same batches by each must end with the same parameters (float64: to 1e-10), each step reporting autograd's statistics.
/// </summary>
public class FusedSgdTests
{
    const double LearningRate = 0.3;

    static readonly Dictionary<string, FusedSgd> Settings = new()
    {
        ["plain"] = new(LearningRate, 0, 0, 0, false),
        ["decay"] = new(LearningRate, 0, 0, 0.05, false),
        ["momentum"] = new(LearningRate, 0.9, 0, 0, false),
        ["dampening+decay"] = new(LearningRate, 0.9, 0.3, 0.01, false),
        ["nesterov"] = new(LearningRate, 0.9, 0, 0.01, true),
    };

    public static TheoryData<string, string, int, int> Cases()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var sgd in Settings.Keys)
            foreach (var steps in new[] { 1, 4 })
            {
                data.Add(sgd, "softmax-ce", steps, 1);
                data.Add(sgd, "logit-mse/C", steps, 2);
            }
        foreach (var head in ReferenceHeads.Names) data.Add("dampening+decay", head, 3, 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsEqualAutogradWithTorchSgd(string sgdName, string headName, int steps, int threads) =>
        AssertMatchesTorchSgd(sgdName, headName, "6-5-4-3", FusedActivation.Tanh, steps, threads);

    [Theory]
    [InlineData("momentum", "sigmoid-bce")]
    [InlineData("nesterov", "sigmoid-mse")]
    [InlineData("plain", "logit-mse")]
    public void BinaryStepsEqualAutogradWithTorchSgd(string sgdName, string headName) =>
        AssertMatchesTorchSgd(sgdName, headName, "6-4-1", FusedActivation.ReLU, steps: 3, threads: 2);

    static void AssertMatchesTorchSgd(string sgdName, string headName, string widthsText, FusedActivation activation, int steps, int threads)
    {
        var widths = Widths(widthsText);
        var head = ReferenceHeads.Create(headName, widths[^1]);
        var sgd = Settings[sgdName];
        var outputBias = widths[^1] == 1 && head.Loss == FusedLoss.LogitSquaredError ? 1.0 : 0;
        using var autogradModel = Mlp(widths, activation, ScalarType.Float64, seed: 21, outputBias: outputBias);
        using var fusedModel = Mlp(widths, activation, ScalarType.Float64, seed: 21, outputBias: outputBias);
        var initial = Values(fusedModel);
        using var optimizer = torch.optim.SGD(autogradModel.parameters(), sgd.LearningRate, sgd.Momentum, sgd.Dampening, sgd.WeightDecay,
            sgd.Nesterov);
        using var mlp = FusedMlp.Create(fusedModel, head, threads);
        using var buffersScope = torch.NewDisposeScope();
        var buffers = sgd.Momentum == 0 ? null : fusedModel.parameters().Select(p => torch.zeros_like(p)).ToList();
        var what = $"{sgdName}, {headName}, {threads} threads";

        for (var s = 0; s < steps; s++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = MakeBatch(7 + s, widths[0], LabelLimit(widths[^1]), ScalarType.Float64, seed: 300 + s);
            var reference = AutogradReference.Compute(autogradModel, head, batch);
            optimizer.zero_grad();
            ReferenceHeads.Loss(head, autogradModel.forward(batch.X), batch.Y).mean().backward();
            optimizer.step();

            var output = new double[mlp.OutputLength];
            mlp.Step(batch.X, batch.Y, buffers, freshMomentum: s == 0, sgd, statistics: true, output);
            reference.AssertSameOutput(output, 1e-9, $"{what}, step {s}");
            AssertClose(Values(autogradModel), Values(fusedModel), 1e-10, $"{what}, after step {s}");
        }
        var moved = initial.Zip(Values(fusedModel), (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max());
        Assert.All(moved, m => Assert.True(m > 1e-6, $"{what}: a parameter did not move"));
    }

    [Fact]
    public void WithoutStatisticsAStepMovesTheParametersAlikeAndReportsLossCorrectAndNormsOnly()
    {
        var widths = Widths("6-5-4");
        var head = ReferenceHeads.Create("softmax-mse", 4);
        using var a = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float64, seed: 2);
        using var b = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float64, seed: 2);
        using var fullMlp = FusedMlp.Create(a, head, 2);
        using var lightMlp = FusedMlp.Create(b, head, 2);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(9, 6, 4, ScalarType.Float64, seed: 3);
        var full = new double[fullMlp.OutputLength];
        var light = new double[lightMlp.OutputLength];
        fullMlp.Step(batch.X, batch.Y, null, false, Settings["decay"], statistics: true, full);
        lightMlp.Step(batch.X, batch.Y, null, false, Settings["decay"], statistics: false, light);
        AssertClose(Values(a), Values(b), 0, "parameters");
        Assert.Equal(full[FusedMlp.LossSum], light[FusedMlp.LossSum]);
        Assert.Equal(full[FusedMlp.Correct], light[FusedMlp.Correct]);
        Assert.Equal(full[FusedMlp.Fixed..], light[FusedMlp.Fixed..]);
        Assert.True(full[FusedMlp.OutputGradientNormSum] > 0 && full[FusedMlp.TrueClassProbabilitySum] > 0);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], light[FusedMlp.OutputGradientNormSum..FusedMlp.Fixed]);
    }

    [Fact]
    public void AFreshMomentumStepStartsTheBuffersAsTheGradientWhateverTheyHeld()
    {
        var widths = Widths("6-5-4");
        var head = ReferenceHeads.Create("softmax-ce", 4);
        var sgd = Settings["dampening+decay"];
        using var model = Mlp(widths, FusedActivation.ReLU, ScalarType.Float64, seed: 4);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(8, 6, 4, ScalarType.Float64, seed: 5);
        var reference = AutogradReference.Compute(model, head, batch);
        var weights = Values(model);
        using var mlp = FusedMlp.Create(model, head, 1);
        var buffers = model.parameters().Select(p => torch.full_like(p, 123.0)).ToList();
        mlp.Step(batch.X, batch.Y, buffers, freshMomentum: true, sgd, true, new double[mlp.OutputLength]);
        // PyTorch's first step: buf = d = g + decay w, undamped.
        var expected = reference.Gradients.Zip(weights, (g, w) => g.Zip(w, (gi, wi) => gi + sgd.WeightDecay * wi).ToArray()).ToArray();
        AssertClose(expected, buffers.Select(t => Values(t)).ToArray(), 1e-12, "momentum buffers");
    }

    [Fact]
    public void AStepUpdatesTheTensorsThatReplacedTheModelsParameters()
    {
        var widths = Widths("6-5-4");
        var head = ReferenceHeads.Create("sigmoid-mse", 4);
        using var model = Mlp(widths, FusedActivation.Tanh, ScalarType.Float64, seed: 6);
        using var twin = Mlp(widths, FusedActivation.Tanh, ScalarType.Float64, seed: 7);
        using var mlp = FusedMlp.Create(model, head, 2);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(8, 6, 4, ScalarType.Float64, seed: 8);
        mlp.Step(batch.X, batch.Y, null, false, Settings["plain"], true, new double[mlp.OutputLength]);

        // As a checkpoint load may: new tensors (the twin's values) in place of the old ones, which TorchSharp disposes.
        var linears = model.children().OfType<Linear>().ToArray();
        var twinLinears = twin.children().OfType<Linear>().ToArray();
        for (var i = 0; i < linears.Length; i++)
        {
            linears[i].weight = new Parameter(twinLinears[i].weight!.detach().clone());
            linears[i].bias = new Parameter(twinLinears[i].bias!.detach().clone());
        }
        var reference = AutogradReference.Compute(model, head, batch);
        var output = new double[mlp.OutputLength];
        mlp.Step(batch.X, batch.Y, null, false, Settings["plain"], true, output);
        reference.AssertSameOutput(output, 1e-9, "after replacing the parameters");
        var expected = Values(twin).Zip(reference.Gradients, (w, g) => w.Zip(g, (wi, gi) => wi - LearningRate * gi).ToArray()).ToArray();
        AssertClose(expected, Values(model), 1e-12, "the new tensors");
    }

    [Fact]
    public void AStepUsesTheParametersOfALoadedCheckpoint()
    {
        var widths = Widths("6-5-4");
        var head = ReferenceHeads.Create("softmax-ce", 4);
        var path = Path.Combine(Path.GetTempPath(), $"fused-checkpoint-{Guid.NewGuid():N}.bin");
        try
        {
            using var saved = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float64, seed: 9);
            saved.save(path);
            using var model = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float64, seed: 10);
            using var mlp = FusedMlp.Create(model, head, 1);
            using var scope = torch.NewDisposeScope();
            var batch = MakeBatch(8, 6, 4, ScalarType.Float64, seed: 11);
            mlp.Step(batch.X, batch.Y, null, false, Settings["plain"], true, new double[mlp.OutputLength]);
            model.load(path);
            var reference = AutogradReference.Compute(saved, head, batch);
            var output = new double[mlp.OutputLength];
            mlp.Step(batch.X, batch.Y, null, false, Settings["plain"], true, output);
            reference.AssertSameOutput(output, 1e-9, "after loading");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
