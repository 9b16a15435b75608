using TorchLoss.Fused;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Fused.FusedModels;

namespace TorchLoss.Tests.Fused;

/// <summary>
/// The fused gradients and statistics against autograd's on the same model, for every head and activation: in float64
/// they must agree up to rounding (gradients to 1e-10 of each tensor's largest magnitude, statistics to 1e-9).
/// </summary>
public class FusedGradientTests
{
    static readonly FusedActivation[] Activations = [FusedActivation.Sigmoid, FusedActivation.Tanh, FusedActivation.ReLU];

    public static TheoryData<string, FusedActivation, string> EveryHeadAndActivation()
    {
        var data = new TheoryData<string, FusedActivation, string>();
        foreach (var head in ReferenceHeads.Names)
            foreach (var activation in Activations)
                foreach (var widths in new[] { "6-3-4", "6-5-4-3-4" })
                    data.Add(head, activation, widths);
        foreach (var head in ReferenceHeads.BinaryNames)
            foreach (var activation in Activations)
                data.Add(head, activation, "6-3-1");
        foreach (var head in ReferenceHeads.Names) data.Add(head, FusedActivation.Sigmoid, "6-4");
        foreach (var head in ReferenceHeads.BinaryNames) data.Add(head, FusedActivation.Sigmoid, "6-1");
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryHeadAndActivation))]
    public void GradientsAndStatisticsEqualAutogradsInFloat64(string headName, FusedActivation activation, string widths) =>
        AssertMatchesAutograd(headName, activation, widths, threads: 1, batchSize: 7);

    public static TheoryData<string, int, int> ThreadsAndBatches()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var head in new[] { "softmax-ce", "sigmoid-mse", "logit-mse/C" })
            foreach (var threads in new[] { 1, 2, 3 })
                foreach (var batch in new[] { 1, 2, 7, 64 })
                    data.Add(head, threads, batch);
        return data;
    }

    /// <summary>Every thread count splits the examples and then the output units differently, down to batches smaller
    /// than the thread count; each split must give autograd's result.</summary>
    [Theory]
    [MemberData(nameof(ThreadsAndBatches))]
    public void OneTwoAndThreeThreadsGiveAutogradsGradients(string headName, int threads, int batchSize) =>
        AssertMatchesAutograd(headName, FusedActivation.Tanh, "6-5-4-3-4", threads, batchSize);

    [Theory]
    [InlineData("softmax-ce", "6-5-4")]
    [InlineData("sigmoid-bce", "6-5-1")]
    [InlineData("logit-mse", "6-5-4")]
    public void WithoutABlasThePlainLoopsGiveAutogradsGradients(string headName, string widths)
    {
        foreach (var threads in new[] { 1, 2 })
            AssertMatchesAutograd(headName, FusedActivation.Sigmoid, widths, threads, batchSize: 9, useBlas: false);
    }

    /// <summary>Large weights push outputs into saturation, so the saturation count is compared where it is not zero.</summary>
    [Theory]
    [InlineData("softmax-ce")]
    [InlineData("sigmoid-mse")]
    [InlineData("logit-mse/C")]
    public void SaturatedModelsMatchAutograd(string headName)
    {
        var reference = AssertMatchesAutograd(headName, FusedActivation.Sigmoid, "6-3-4", threads: 2, batchSize: 16, weightScale: 12);
        Assert.True(reference.Output[FusedMlp.Saturated] > 0, "no saturated output at weight scale 12");
    }

    [Theory]
    [InlineData("softmax-ce", 1)]
    [InlineData("softmax-mse", 2)]
    [InlineData("sigmoid-bce", 2)]
    [InlineData("logit-mse", 3)]
    public void Float32MatchesAutogradToSinglePrecision(string headName, int threads)
    {
        var widths = Widths("20-16-10");
        var head = ReferenceHeads.Create(headName, widths[^1]);
        using var model = Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float32, seed: 5);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(33, widths[0], widths[^1], ScalarType.Float32, seed: 6);
        var reference = AutogradReference.Compute(model, head, batch);
        using var mlp = FusedMlp.Create(model, head, threads);
        var output = new double[mlp.OutputLength];
        var gradients = mlp.Gradients(batch.X, batch.Y, output).Select(g => Values(g)).ToArray();
        AssertClose(reference.Gradients, gradients, 1e-4, headName);
        for (var i = 0; i < output.Length; i++)
            if (i != FusedMlp.Saturated) AssertClose(reference.Output[i], output[i], 1e-4, $"{headName} output {i}");
    }

    [Fact]
    public void TheSameThreadCountGivesBitIdenticalResults()
    {
        var widths = Widths("30-17-9");
        using var model = Mlp(widths, FusedActivation.ReLU, ScalarType.Float32, seed: 8);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(50, widths[0], widths[^1], ScalarType.Float32, seed: 9);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            double[][] Run(out double[] output)
            {
                using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy), threads);
                output = new double[mlp.OutputLength];
                return mlp.Gradients(batch.X, batch.Y, output).Select(g => Values(g)).ToArray();
            }
            var first = Run(out var firstOutput);
            var second = Run(out var secondOutput);
            Assert.Equal(firstOutput, secondOutput);
            for (var i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
        }
    }

    static AutogradReference AssertMatchesAutograd(string headName, FusedActivation activation, string widthsText, int threads, int batchSize,
        double weightScale = 1, bool useBlas = true)
    {
        var widths = Widths(widthsText);
        var head = ReferenceHeads.Create(headName, widths[^1]);
        // Binary logit-mse predicts 1 above M/2 = 1: centre the logits there so that both predictions occur.
        var outputBias = widths[^1] == 1 && head.Loss == FusedLoss.LogitSquaredError ? 1.0 : 0;
        using var model = Mlp(widths, activation, ScalarType.Float64, seed: 17, weightScale, outputBias);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(batchSize, widths[0], LabelLimit(widths[^1]), ScalarType.Float64, seed: 100 + batchSize);
        var reference = AutogradReference.Compute(model, head, batch);
        var before = Values(model);

        using var mlp = FusedMlp.Create(model, head, threads, useBlas);
        Assert.Equal(useBlas, mlp.UsesBlas);
        var output = new double[mlp.OutputLength];
        var gradients = mlp.Gradients(batch.X, batch.Y, output);
        var what = $"{headName}, {widthsText} {activation}, {threads} threads, batch {batchSize}";
        Assert.All(gradients, g => Assert.Equal(ScalarType.Float64, g.dtype));
        AssertClose(reference.Gradients, gradients.Select(g => Values(g)).ToArray(), 1e-10, what);
        reference.AssertSameOutput(output, 1e-9, what);
        Assert.All(reference.Gradients, g => Assert.Contains(g, v => v != 0));
        AssertClose(before, Values(model), 0, $"{what}: Gradients changed the model");
        var evaluated = mlp.Evaluate(batch.X, batch.Y);
        AssertClose(reference.Output[FusedMlp.LossSum], evaluated.LossSum, 1e-9, $"{what}: evaluated loss");
        Assert.Equal(reference.Output[FusedMlp.Correct], evaluated.Correct);
        return reference;
    }
}
