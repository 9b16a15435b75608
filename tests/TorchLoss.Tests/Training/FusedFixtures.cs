using TorchLoss.Data;
using TorchLoss.Engines;
using TorchLoss.Heads;
using TorchLoss.Models;
using TorchLoss.Training;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Tests.Training;

/// <summary>SGD settings of the fused-step tests, by name so that theory cases read well.</summary>
internal sealed record SgdCase(double Momentum = 0, double Dampening = 0, double WeightDecay = 0, bool Nesterov = false)
{
    public static readonly IReadOnlyDictionary<string, SgdCase> All = new Dictionary<string, SgdCase>
    {
        ["plain"] = new(),
        ["decay"] = new(WeightDecay: 0.05),
        ["momentum"] = new(Momentum: 0.9),
        ["dampening+decay"] = new(Momentum: 0.9, Dampening: 0.3, WeightDecay: 0.01),
        ["nesterov"] = new(Momentum: 0.9, WeightDecay: 0.01, Nesterov: true),
    };

    public optim.Optimizer Create(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate) =>
        optim.SGD(parameters, learningRate, Momentum, Dampening, WeightDecay, Nesterov);
}

/// <summary>What a few training steps left behind: every parameter (as float64 values) and the interval's statistics.</summary>
internal sealed record TrainedState(double[][] Parameters, IntervalStatistics Statistics);

/// <summary>
/// Small models and batches for comparing the fused step with autograd. Parameters and data come from
/// <see cref="Random"/> with a fixed seed, so both engines start from identical models without seeding libtorch's
/// global generator (these tests run in parallel with others).
/// </summary>
internal static class FusedFixtures
{
    /// <summary>"6-3-4" -> [6, 3, 4].</summary>
    public static int[] Widths(string text) => text.Split('-').Select(int.Parse).ToArray();

    /// <summary>Linear layers of <paramref name="widths"/> with <paramref name="activation"/> between them, weights uniform on
    /// ±scale/sqrt(in), biases on ±1/sqrt(in), the last layer's biases shifted by <paramref name="outputBias"/>.</summary>
    public static Sequential Mlp(IReadOnlyList<int> widths, HiddenActivation activation, ScalarType dtype, int seed, double weightScale = 1,
        double outputBias = 0)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            if (i > 0) layers.Add(($"act{i}", activation.Create()));
            layers.Add(($"layer{i + 1}", nn.Linear(widths[i], widths[i + 1], dtype: dtype)));
        }
        var model = nn.Sequential(layers);
        var random = new Random(seed);
        var named = model.named_parameters().ToList();
        using var scope = torch.NewDisposeScope();
        var values = new Dictionary<string, Tensor>();
        for (var i = 0; i < named.Count; i++)
        {
            var (name, p) = named[i];
            var isWeight = p.dim() == 2;
            var fanIn = isWeight ? p.size(1) : named[i - 1].parameter.size(1);
            var bound = (isWeight ? weightScale : 1) / Math.Sqrt(fanIn);
            var shift = i == named.Count - 1 ? outputBias : 0;
            var data = Enumerable.Range(0, (int)p.numel()).Select(_ => (random.NextDouble() * 2 - 1) * bound + shift).ToArray();
            values[name] = torch.tensor(data, p.shape).to_type(dtype);
        }
        using (torch.no_grad())
            foreach (var (name, p) in named) p.copy_(values[name]);
        return model;
    }

    /// <summary>Inputs uniform on [-1, 1] and labels uniform on [0, labelLimit).</summary>
    public static Batch MakeBatch(int size, int inputs, int labelLimit, ScalarType dtype, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, size * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, size).Select(_ => (long)random.Next(labelLimit)).ToArray();
        using var asDouble = torch.tensor(x, [size, inputs]);
        return new Batch(asDouble.to_type(dtype), torch.tensor(y));
    }

    /// <summary>Labels for a model with <paramref name="outputs"/> outputs: 0/1 for one output, else a class index.</summary>
    public static int LabelLimit(int outputs) => outputs == 1 ? 2 : outputs;

    /// <summary>Trains a fresh model for <paramref name="steps"/> steps through <paramref name="engine"/> (the fused one on
    /// <paramref name="fusedThreads"/> threads), every step recorded into one interval of step statistics (read natively
    /// unless <paramref name="nativeStatistics"/> is false).</summary>
    public static TrainedState Train(TrainingEngine engine, Func<Sequential> build, OutputHead head, SgdCase sgd, double learningRate,
        Func<int, Batch> batch, int steps, bool fullStatistics = true, int fusedThreads = 1, bool nativeStatistics = true)
    {
        using var model = build();
        using var optimizer = sgd.Create(model.parameters(), learningRate);
        using var statistics = new StepStatistics(Trainer.ParameterNames(model), fullStatistics, nativeStatistics);
        using (var step = TrainingEngines.Create(engine, model, head, optimizer, statistics, fusedThreads))
        {
            Assert.Equal(engine, step.Engine);
            for (var s = 0; s < steps; s++)
                using (torch.NewDisposeScope())
                    step.Run(batch(s));
        }
        // TorchSharp's SGD counts no steps (the old binding's optimizer did): every step must have been recorded instead.
        Assert.Equal(steps, statistics.Steps);
        return new TrainedState(Values(model), statistics.Flush());
    }

    public static double[][] Values(nn.Module model) => model.parameters().Select(Values).ToArray();

    public static double[] Values(Tensor t) => Fused.FusedModels.Values(t);

    /// <summary>Each parameter tensor within <paramref name="relative"/> of the expected one's largest magnitude.</summary>
    public static void AssertSameParameters(double[][] expected, double[][] actual, double relative, string what = "") =>
        Fused.FusedModels.AssertClose(expected, actual, relative, $"{what} parameters:");

    /// <summary>Every statistic of the interval, each gradient norm's mean and max included, within <paramref name="relative"/>.</summary>
    public static void AssertSameStatistics(IntervalStatistics expected, IntervalStatistics actual, double relative, string what = "")
    {
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Examples, actual.Examples);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Close(expected.Loss, actual.Loss, "loss");
        Close(expected.Accuracy, actual.Accuracy, "accuracy");
        Close(expected.OutputGradientNorm, actual.OutputGradientNorm, "output gradient norm");
        Close(expected.SaturatedFraction, actual.SaturatedFraction, "saturated fraction");
        Close(expected.WrongSaturatedFraction, actual.WrongSaturatedFraction, "wrongly saturated fraction");
        Close(expected.TrueClassProbability, actual.TrueClassProbability, "true-class probability");
        Assert.Equal(expected.GradientNorms.Keys.Order(), actual.GradientNorms.Keys.Order());
        foreach (var (name, norm) in expected.GradientNorms)
        {
            Close(norm.Mean, actual.GradientNorms[name].Mean, $"{name} gradient norm mean");
            Close(norm.Max, actual.GradientNorms[name].Max, $"{name} gradient norm max");
        }

        void Close(double a, double b, string statistic) =>
            Assert.True(Math.Abs(a - b) <= relative * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-15,
                $"{what} {statistic}: autograd {a:R}, fused {b:R} (relative tolerance {relative:E0})");
    }
}
