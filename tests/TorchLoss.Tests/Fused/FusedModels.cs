using TorchLoss.Fused;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Fused;

/// <summary>A batch of inputs and int64 labels.</summary>
internal sealed record FusedBatch(Tensor X, Tensor Y);

/// <summary>
/// Small models and batches for comparing the fused step with autograd. Parameters and data come from <see cref="Random"/>
/// with a fixed seed, so identical models are built without seeding libtorch's global generator (these tests run in
/// parallel with others).
/// </summary>
internal static class FusedModels
{
    /// <summary>"6-3-4" -> [6, 3, 4].</summary>
    public static int[] Widths(string text) => text.Split('-').Select(int.Parse).ToArray();

    public static nn.Module<Tensor, Tensor> ActivationModule(FusedActivation activation) => activation switch
    {
        FusedActivation.Sigmoid => nn.Sigmoid(),
        FusedActivation.Tanh => nn.Tanh(),
        FusedActivation.ReLU => nn.ReLU(),
        _ => throw new ArgumentException($"no module for {activation}", nameof(activation)),
    };

    /// <summary>Linear layers of <paramref name="widths"/> with <paramref name="activation"/> between them, weights uniform on
    /// ±scale/sqrt(in), biases on ±1/sqrt(in), the last layer's biases shifted by <paramref name="outputBias"/>.</summary>
    public static Sequential Mlp(IReadOnlyList<int> widths, FusedActivation activation, ScalarType dtype, int seed, double weightScale = 1,
        double outputBias = 0)
    {
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            if (i > 0) modules.Add(ActivationModule(activation));
            modules.Add(nn.Linear(widths[i], widths[i + 1], dtype: dtype));
        }
        var model = nn.Sequential(modules);
        var random = new Random(seed);
        var linears = modules.OfType<Linear>().ToList();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var l = 0; l < linears.Count; l++)
        {
            var bound = 1 / Math.Sqrt(linears[l].in_features);
            Fill(linears[l].weight!, random, weightScale * bound, 0);
            Fill(linears[l].bias!, random, bound, l == linears.Count - 1 ? outputBias : 0);
        }
        return model;
    }

    static void Fill(Tensor p, Random random, double bound, double shift)
    {
        var data = Enumerable.Range(0, (int)p.numel()).Select(_ => (random.NextDouble() * 2 - 1) * bound + shift).ToArray();
        p.copy_(torch.tensor(data, p.shape, ScalarType.Float64));
    }

    /// <summary>Inputs uniform on [-1, 1] and labels uniform on [0, labelLimit).</summary>
    public static FusedBatch MakeBatch(int size, int inputs, int labelLimit, ScalarType dtype, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, size * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, size).Select(_ => (long)random.Next(labelLimit)).ToArray();
        using var asDouble = torch.tensor(x, [size, inputs], ScalarType.Float64);
        return new FusedBatch(asDouble.to(dtype), torch.tensor(y, [size]));
    }

    /// <summary>Labels for a model with <paramref name="outputs"/> outputs: 0/1 for one output, else a class index.</summary>
    public static int LabelLimit(int outputs) => outputs == 1 ? 2 : outputs;

    public static double[][] Values(nn.Module model) => model.parameters().Select(p => Values(p)).ToArray();

    public static double[] Values(Tensor t)
    {
        using var asDouble = t.detach().to(ScalarType.Float64);
        return asDouble.data<double>().ToArray();
    }

    /// <summary>Each tensor within <paramref name="relative"/> of the expected one's largest magnitude.</summary>
    public static void AssertClose(double[][] expected, double[][] actual, double relative, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            var scale = expected[i].Max(Math.Abs);
            var error = expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(error <= relative * scale,
                $"{what} tensor {i}: max difference {error:E3} against largest magnitude {scale:E3} (relative tolerance {relative:E0})");
        }
    }

    /// <summary>Two scalars within <paramref name="relative"/> of the larger one's magnitude.</summary>
    public static void AssertClose(double expected, double actual, double relative, string what)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), Math.Abs(actual)) + 1e-15,
            $"{what}: expected {expected:R}, got {actual:R} (relative tolerance {relative:E0})");
    }
}
