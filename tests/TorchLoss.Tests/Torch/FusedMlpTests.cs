using TorchLoss.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchLoss.Tests.Training.FusedFixtures;

namespace TorchLoss.Tests.Torch;

/// <summary>The native fused step through its C# binding: what it accepts, and one clear exception for what it does not,
/// leaving the model untouched and usable.</summary>
public class FusedMlpTests
{
    static readonly FusedSgd Sgd = new(0.1, 0, 0, 0, false);

    static Sequential Model(params int[] widths) => Mlp(widths, HiddenActivation.Sigmoid, ScalarType.Float64, seed: 1);

    static double[] Step(FusedMlp mlp, Tensor x, Tensor labels, IReadOnlyList<Tensor>? momentum = null, bool statistics = true)
    {
        var output = new double[mlp.OutputLength];
        mlp.Step(x, labels, momentum, freshMomentum: true, momentum is null ? Sgd : Sgd with { Momentum = 0.9 }, statistics, output);
        return output;
    }

    /// <summary>Runs a step that must fail, checks the message is one line without a native backtrace and that the model
    /// did not change, then checks a valid step still runs.</summary>
    static void AssertRefused(Sequential model, FusedMlp mlp, Action step, string message)
    {
        var before = Values(model);
        var e = Assert.Throws<TorchException>(step);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message.TrimEnd());
        Assert.DoesNotContain("Exception raised from", e.Message);
        AssertSameParameters(before, Values(model), 0, "after a refused step");
        var inputs = model.Layers.OfType<Linear>().First().InFeatures;
        using var scope = torch.NewDisposeScope();
        var ok = MakeBatch(5, (int)inputs, 2, ScalarType.Float64, seed: 9);
        Step(mlp, ok.X, ok.Y);
        Assert.True(Values(model).Zip(before).Any(p => !p.First.SequenceEqual(p.Second)), "a valid step after the refused one changed nothing");
    }

    [Fact]
    public void ACallAfterDisposeThrowsInsteadOfUsingFreedMemory()
    {
        using var model = Model(6, 3, 4);
        var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy));
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        mlp.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Step(mlp, batch.X, batch.Y));
        Assert.Throws<ObjectDisposedException>(() => mlp.Evaluate(batch.X, batch.Y));
    }

    [Fact]
    public void ReluPassesNaNThroughAsLibtorchDoesSoADivergedUnitShowsInTheLoss()
    {
        using var model = Mlp([6, 3, 4], HiddenActivation.Relu, ScalarType.Float64, seed: 1);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad()) model.parameters()[1].fill_(double.NaN);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy));
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        Assert.True(double.IsNaN(mlp.Evaluate(batch.X, batch.Y).LossSum));
        Assert.True(double.IsNaN(Step(mlp, batch.X, batch.Y)[FusedMlp.LossSum]));
    }

    [Fact]
    public void MomentumBuffersAreRequiredExactlyWhenTheMomentumIsNotZero()
    {
        using var model = Model(6, 3, 4);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy));
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        var output = new double[mlp.OutputLength];
        var buffers = model.parameters().Select(p => torch.zeros(p.shape, p.dtype)).ToList();
        var e = Assert.Throws<TorchException>(() => mlp.Step(batch.X, batch.Y, buffers, true, Sgd with { Momentum = 0 }, true, output));
        Assert.Contains("momentum buffers are needed exactly when the momentum is not 0", e.Message);
        e = Assert.Throws<TorchException>(() => mlp.Step(batch.X, batch.Y, null, true, Sgd with { Momentum = 0.9 }, true, output));
        Assert.Contains("momentum buffers are needed exactly when the momentum is not 0", e.Message);
    }

    [Fact]
    public void TheOutputHoldsTheFixedValuesThenOneGradientNormPerParameter()
    {
        using var model = Model(6, 3, 4);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxCrossEntropy));
        Assert.Equal(FusedMlp.Fixed + 4, mlp.OutputLength);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 2);
        var full = Step(mlp, batch.X, batch.Y);
        Assert.All(full, v => Assert.True(double.IsFinite(v)));
        Assert.True(full[FusedMlp.LossSum] > 0);
        Assert.InRange(full[FusedMlp.Correct], 0, 5);
        Assert.True(full[FusedMlp.OutputGradientNormSum] > 0);
        Assert.InRange(full[FusedMlp.TrueClassProbabilitySum], 1e-9, 5);
        Assert.All(full[FusedMlp.Fixed..], n => Assert.True(n > 0));

        var light = Step(mlp, batch.X, batch.Y, statistics: false);
        Assert.True(light[FusedMlp.LossSum] > 0);
        Assert.Equal(0, light[FusedMlp.OutputGradientNormSum]);
        Assert.Equal(0, light[FusedMlp.TrueClassProbabilitySum]);
        Assert.Throws<ArgumentException>(() => mlp.Step(batch.X, batch.Y, null, false, Sgd, true, new double[mlp.OutputLength - 1]));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(-1, 10)]
    [InlineData(2, 1)]
    [InlineData(-1, 1)]
    public void ALabelOutsideTheClassesIsRefused(long label, int outputs)
    {
        using var model = Model(6, 3, outputs);
        using var mlp = FusedMlp.Create(model, new FusedHead(outputs == 1 ? FusedLoss.SigmoidBinaryCrossEntropy : FusedLoss.SoftmaxCrossEntropy));
        using var scope = torch.NewDisposeScope();
        var x = MakeBatch(3, 6, 2, ScalarType.Float64, seed: 4).X;
        var labels = torch.tensor(new[] { 0, label, 1 });
        var limit = outputs == 1 ? 2 : outputs;
        AssertRefused(model, mlp, () => Step(mlp, x, labels), $"label {label} is outside [0, {limit})");
    }

    [Fact]
    public void InputsOfTheWrongShapeTypeOrLayoutAreRefused()
    {
        using var model = Model(6, 3, 2);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SoftmaxSquaredError));
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new long[] { 0, 1, 1, 0, 1 });
        var good = MakeBatch(5, 6, 2, ScalarType.Float64, seed: 4).X;
        AssertRefused(model, mlp, () => Step(mlp, MakeBatch(5, 7, 2, ScalarType.Float64, seed: 4).X, labels), "the input batch must be [batch, 6]");
        AssertRefused(model, mlp, () => Step(mlp, good.to_type(ScalarType.Float32), labels), "the input batch has dtype Float, expected Double");
        AssertRefused(model, mlp, () => Step(mlp, MakeBatch(6, 5, 2, ScalarType.Float64, seed: 4).X.t(), labels), "the input batch must be contiguous");
        AssertRefused(model, mlp, () => Step(mlp, good, labels.to_type(ScalarType.Float64)), "the labels has dtype Double");
        AssertRefused(model, mlp, () => Step(mlp, good, torch.tensor(new long[] { 0, 1 })), "the labels must be [batch]");
        AssertRefused(model, mlp, () => Step(mlp, torch.zeros([0, 6], ScalarType.Float64), torch.zeros([0], ScalarType.Int64)), "empty batch");
        var wrongShape = model.parameters().Select(p => torch.zeros(p.shape[..1], ScalarType.Float64)).ToList();
        AssertRefused(model, mlp, () => Step(mlp, good, labels, wrongShape), "a momentum buffer's shape differs from its parameter's");
        Assert.Throws<ArgumentException>(() => Step(mlp, good, labels, wrongShape.Take(2).ToList()));
    }

    [Fact]
    public void CreatingRefusesWhatTheNativeStepCannotRun()
    {
        using var binary = Model(6, 3, 1);
        var e = Assert.Throws<TorchException>(() => FusedMlp.Create(binary, new FusedHead(FusedLoss.SoftmaxCrossEntropy)));
        Assert.Contains("softmax heads need at least 2 outputs", e.Message);

        using var mixed = new Sequential(new Linear(6, 3, dtype: ScalarType.Float64), new Sigmoid(), new Linear(3, 2, dtype: ScalarType.Float32));
        var refused = Assert.Throws<NotSupportedException>(() => FusedMlp.Create(mixed, new FusedHead(FusedLoss.SoftmaxCrossEntropy)));
        Assert.Equal(FusedMlp.Unsupported(mixed), refused.Message);
        // Raw layers skip that check; the native side refuses them itself.
        e = Assert.Throws<TorchException>(() => FusedMlp.Create(mixed.parameters(), FusedActivation.Sigmoid, new FusedHead(FusedLoss.SoftmaxCrossEntropy)));
        Assert.Contains("a weight has dtype Float, expected Double", e.Message);

        using var twoActivations = new Sequential(new Linear(6, 3), new Sigmoid(), new Linear(3, 3), new Tanh(), new Linear(3, 2));
        var n = Assert.Throws<NotSupportedException>(() => FusedMlp.Create(twoActivations, new FusedHead(FusedLoss.SoftmaxCrossEntropy)));
        Assert.Equal(FusedMlp.Unsupported(twoActivations), n.Message);
    }

    [Fact]
    public void TheStepUpdatesTheModelsCurrentParameterTensors()
    {
        // Module.To replaces every parameter tensor (here with a copy); the step must update the new ones.
        using var model = Mlp([6, 3, 2], HiddenActivation.Relu, ScalarType.Float32, seed: 6);
        using var mlp = FusedMlp.Create(model, new FusedHead(FusedLoss.SigmoidBinaryCrossEntropy));
        var old = model.parameters();
        model.To(Device.Cpu);
        Assert.All(model.parameters().Zip(old), p => Assert.NotSame(p.First, p.Second));
        var before = Values(model);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 2, ScalarType.Float32, seed: 7);
        Step(mlp, batch.X, batch.Y);
        Assert.All(Values(model).Zip(before), p => Assert.NotEqual(p.Second, p.First));

        model.To(Device.Cpu, ScalarType.Float64);
        var e = Assert.Throws<TorchException>(() => Step(mlp, batch.X.to_type(ScalarType.Float64), batch.Y));
        Assert.Contains("layer 0 no longer matches the fused step's layout", e.Message);
    }

    public static TheoryData<string, string> UnsupportedModels() => new()
    {
        { "two activations", "one sigmoid, tanh or relu activation between linear layers, found Tanh" },
        { "no bias", "linear layers with biases, found Linear(3, 2, bias=False)" },
        { "ends with an activation", "ends with a linear layer" },
        { "starts with an activation", "linear layers with biases, found Sigmoid" },
        { "two linear layers in a row", "activation between linear layers, found Linear(3, 2, bias=True)" },
        { "empty", "ends with a linear layer" },
        { "mixed dtypes", "all parameters in float32 or all in float64" },
    };

    internal static Sequential Unsupported(string name) => name switch
    {
        "two activations" => new Sequential(new Linear(6, 3), new Sigmoid(), new Linear(3, 3), new Tanh(), new Linear(3, 2)),
        "no bias" => new Sequential(new Linear(6, 3), new ReLU(), new Linear(3, 2, bias: false)),
        "ends with an activation" => new Sequential(new Linear(6, 3), new ReLU(), new Linear(3, 2), new ReLU()),
        "starts with an activation" => new Sequential(new Sigmoid(), new Linear(6, 2)),
        "two linear layers in a row" => new Sequential(new Linear(6, 3), new Linear(3, 2)),
        "empty" => new Sequential(),
        "mixed dtypes" => new Sequential(new Linear(6, 3), new ReLU(), new Linear(3, 2, dtype: ScalarType.Float64)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnsupportedModels))]
    public void UnsupportedStructuresAreNamed(string name, string reason)
    {
        using var model = Unsupported(name);
        Assert.Contains(reason, FusedMlp.Unsupported(model));
    }

    [Theory]
    [InlineData("6-2")]
    [InlineData("6-3-1")]
    [InlineData("6-5-4-3-2")]
    public void SupportedStructuresHaveNoReason(string widths)
    {
        foreach (var activation in Enum.GetValues<HiddenActivation>())
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                using var model = Mlp(Widths(widths), activation, dtype, seed: 1);
                Assert.Null(FusedMlp.Unsupported(model));
            }
    }
}
