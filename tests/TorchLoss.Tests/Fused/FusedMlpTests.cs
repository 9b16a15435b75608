using TorchLoss.Fused;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchLoss.Tests.Fused.FusedModels;

namespace TorchLoss.Tests.Fused;

/// <summary>The fused step through its C# API: what it accepts, and one clear exception for what it does not, leaving the
/// model untouched and usable.</summary>
public class FusedMlpTests
{
    static readonly FusedSgd Sgd = new(0.1, 0, 0, 0, false);

    static Sequential Model(params int[] widths) => Mlp(widths, FusedActivation.Sigmoid, ScalarType.Float64, seed: 1);

    static FusedMlp Create(Sequential model, FusedLoss loss = FusedLoss.SoftmaxCrossEntropy, int threads = 1) =>
        FusedMlp.Create(model, new FusedHead(loss), threads);

    static double[] Step(FusedMlp mlp, Tensor x, Tensor labels, IReadOnlyList<Tensor>? momentum = null, bool statistics = true)
    {
        var output = new double[mlp.OutputLength];
        mlp.Step(x, labels, momentum, freshMomentum: true, momentum is null ? Sgd : Sgd with { Momentum = 0.9 }, statistics, output);
        return output;
    }

    /// <summary>Runs a step that must fail with <typeparamref name="TException"/>, checks the message is one line and that the
    /// model did not change, then checks a valid step still runs.</summary>
    static void AssertRefused<TException>(Sequential model, FusedMlp mlp, Action step, string message) where TException : Exception
    {
        var before = Values(model);
        var e = Assert.Throws<TException>(step);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message.TrimEnd());
        AssertClose(before, Values(model), 0, "after a refused step");
        var inputs = model.children().OfType<Linear>().First().in_features;
        var outputs = model.children().OfType<Linear>().Last().out_features;
        using var scope = torch.NewDisposeScope();
        var ok = MakeBatch(5, (int)inputs, LabelLimit((int)outputs), ScalarType.Float64, seed: 9);
        Step(mlp, ok.X, ok.Y);
        Assert.True(Values(model).Zip(before).Any(p => !p.First.SequenceEqual(p.Second)), "a valid step after the refused one changed nothing");
    }

    [Fact]
    public void ACallAfterDisposeThrowsInsteadOfUsingFreedMemory()
    {
        using var model = Model(6, 3, 4);
        var mlp = Create(model);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        mlp.Dispose();
        mlp.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Step(mlp, batch.X, batch.Y));
        Assert.Throws<ObjectDisposedException>(() => mlp.Evaluate(batch.X, batch.Y));
        Assert.Throws<ObjectDisposedException>(() => mlp.Gradients(batch.X, batch.Y, new double[mlp.OutputLength]));
    }

    [Fact]
    public void ReluPassesNaNThroughAsLibtorchDoesSoADivergedUnitShowsInTheLoss()
    {
        using var model = Mlp([6, 3, 4], FusedActivation.ReLU, ScalarType.Float64, seed: 1);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad()) model.parameters().ElementAt(1).fill_(double.NaN);
        using var mlp = Create(model);
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        Assert.True(double.IsNaN(mlp.Evaluate(batch.X, batch.Y).LossSum));
        Assert.True(double.IsNaN(Step(mlp, batch.X, batch.Y)[FusedMlp.LossSum]));
    }

    [Fact]
    public void MomentumBuffersAreRequiredExactlyWhenTheMomentumIsNotZero()
    {
        using var model = Model(6, 3, 4);
        using var mlp = Create(model);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        var output = new double[mlp.OutputLength];
        var buffers = model.parameters().Select(p => torch.zeros_like(p)).ToList();
        var e = Assert.Throws<ArgumentException>(() => mlp.Step(batch.X, batch.Y, buffers, true, Sgd with { Momentum = 0 }, true, output));
        Assert.Contains("momentum buffers are needed exactly when the momentum is not 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => mlp.Step(batch.X, batch.Y, null, true, Sgd with { Momentum = 0.9 }, true, output));
        Assert.Contains("momentum buffers are needed exactly when the momentum is not 0", e.Message);
    }

    [Theory]
    [InlineData(-0.1, 0, 0, 0, false, "invalid learning rate")]
    [InlineData(double.NaN, 0, 0, 0, false, "invalid learning rate")]
    [InlineData(0.1, -0.5, 0, 0, false, "invalid momentum")]
    [InlineData(0.1, 0, 0, -1, false, "invalid weight decay")]
    [InlineData(0.1, 0.9, 0.1, 0, true, "Nesterov momentum needs a momentum above 0 and no dampening")]
    [InlineData(0.1, 0, 0, 0, true, "Nesterov momentum needs a momentum above 0 and no dampening")]
    public void InvalidSgdSettingsAreRefusedAsTorchRefusesThem(double lr, double momentum, double dampening, double decay, bool nesterov, string message)
    {
        using var model = Model(6, 3, 4);
        using var mlp = Create(model);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 4, ScalarType.Float64, seed: 3);
        var buffers = momentum == 0 ? null : model.parameters().Select(p => torch.zeros_like(p)).ToList();
        var before = Values(model);
        var e = Assert.Throws<ArgumentException>(() =>
            mlp.Step(batch.X, batch.Y, buffers, true, new FusedSgd(lr, momentum, dampening, decay, nesterov), true, new double[mlp.OutputLength]));
        Assert.Contains(message, e.Message);
        AssertClose(before, Values(model), 0, "after refused settings");
    }

    [Fact]
    public void TheOutputHoldsTheFixedValuesThenOneGradientNormPerParameter()
    {
        using var model = Model(6, 3, 4);
        using var mlp = Create(model);
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
        Assert.Throws<ArgumentException>(() => mlp.Gradients(batch.X, batch.Y, new double[mlp.OutputLength - 1]));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(-1, 10)]
    [InlineData(2, 1)]
    [InlineData(-1, 1)]
    public void ALabelOutsideTheClassesIsRefused(long label, int outputs)
    {
        using var model = Model(6, 3, outputs);
        using var mlp = Create(model, outputs == 1 ? FusedLoss.SigmoidBinaryCrossEntropy : FusedLoss.SoftmaxCrossEntropy);
        using var scope = torch.NewDisposeScope();
        var x = MakeBatch(3, 6, 2, ScalarType.Float64, seed: 4).X;
        var labels = torch.tensor(new[] { 0, label, 1 });
        var limit = outputs == 1 ? 2 : outputs;
        var message = $"label {label} is outside [0, {limit})";
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, x, labels), message);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => mlp.Evaluate(x, labels)).Message);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => mlp.Gradients(x, labels, new double[mlp.OutputLength])).Message);
    }

    [Fact]
    public void InputsOfTheWrongShapeTypeOrLayoutAreRefused()
    {
        using var model = Model(6, 3, 2);
        using var mlp = Create(model, FusedLoss.SoftmaxSquaredError);
        using var scope = torch.NewDisposeScope();
        var labels = torch.tensor(new long[] { 0, 1, 1, 0, 1 });
        var good = MakeBatch(5, 6, 2, ScalarType.Float64, seed: 4).X;
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, MakeBatch(5, 7, 2, ScalarType.Float64, seed: 4).X, labels),
            "the input batch must be [batch, 6], got [5, 7]");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good.reshape(30), labels), "the input batch must be [batch, 6], got [30]");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good.to(ScalarType.Float32), labels), "the input batch is Float32, expected Float64");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, MakeBatch(6, 5, 2, ScalarType.Float64, seed: 4).X.t(), labels),
            "the input batch is not contiguous");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, labels.to(ScalarType.Float64)), "the labels must be Int64 [5]");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, labels.to(ScalarType.Int32)), "they are Int32, expected Int64");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, torch.tensor(new long[] { 0, 1 })), "shaped [2], expected [5]");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, torch.zeros(5, 2, ScalarType.Int64).select(1, 0)),
            "the labels must be Int64 [5], contiguous on the CPU: they are not contiguous");
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, torch.zeros(0, 6, ScalarType.Float64), torch.zeros(0, ScalarType.Int64)),
            "empty batch");
        var disposed = good.clone();
        disposed.Dispose();
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, disposed, labels), "the input batch is disposed");
        var wrongShape = model.parameters().Select(p => torch.zeros(p.shape[..1], ScalarType.Float64)).ToList();
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, labels, wrongShape),
            "the momentum buffer of layer 0's weight must be like it: it is shaped [3], expected [3, 6]");
        var wrongType = model.parameters().Select(p => torch.zeros_like(p, ScalarType.Float32)).ToList();
        AssertRefused<ArgumentException>(model, mlp, () => Step(mlp, good, labels, wrongType), "it is Float32, expected Float64");
        Assert.Contains("one momentum buffer per parameter is needed: 4, got 2",
            Assert.Throws<ArgumentException>(() => Step(mlp, good, labels, wrongShape.Take(2).ToList())).Message);
        Assert.Throws<ArgumentNullException>(() => Step(mlp, null!, labels));
    }

    [Fact]
    public void CreatingRefusesWhatTheNativeStepCannotRun()
    {
        using var binary = Model(6, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => Create(binary, FusedLoss.SoftmaxCrossEntropy));
        Assert.Contains("softmax heads need at least 2 outputs", e.Message);
        Assert.Throws<ArgumentException>(() => Create(binary, FusedLoss.SoftmaxSquaredError));

        using var model = Model(6, 3, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(model, threads: 0));
        Assert.Throws<ArgumentException>(() => FusedMlp.Create(model, new FusedHead((FusedLoss)17), 1));
        Assert.Contains("target M other than 0",
            Assert.Throws<ArgumentException>(() => FusedMlp.Create(model, new FusedHead(FusedLoss.LogitSquaredError, TrueClassTarget: 0), 1)).Message);
        Assert.Throws<ArgumentException>(() => FusedMlp.Create(model, new FusedHead(FusedLoss.SigmoidSquaredError, double.NaN), 1));

        using var mixed = nn.Sequential(nn.Linear(6, 3, dtype: ScalarType.Float64), nn.Sigmoid(), nn.Linear(3, 2, dtype: ScalarType.Float32));
        var refused = Assert.Throws<NotSupportedException>(() => Create(mixed));
        Assert.Equal(FusedMlp.Unsupported(mixed), refused.Message);
    }

    [Fact]
    public void AReplacedParameterOfAnotherLayoutIsRefusedAndTheModelLeftAlone()
    {
        using var model = Mlp([6, 3, 2], FusedActivation.ReLU, ScalarType.Float32, seed: 6);
        using var mlp = Create(model, FusedLoss.SigmoidBinaryCrossEntropy);
        using var scope = torch.NewDisposeScope();
        var batch = MakeBatch(5, 6, 2, ScalarType.Float32, seed: 7);
        var output = new double[mlp.OutputLength];
        var first = model.children().OfType<Linear>().First();

        first.weight = new Parameter(torch.zeros(3, 6, ScalarType.Float64));
        var before = Values(model);
        var e = Assert.Throws<InvalidOperationException>(() => mlp.Step(batch.X, batch.Y, null, false, Sgd, true, output));
        Assert.Contains("layer 0's weight no longer matches the fused step's layout (Float32 [3, 6], contiguous on the CPU): it is Float64, expected Float32",
            e.Message);
        Assert.Throws<InvalidOperationException>(() => mlp.Evaluate(batch.X, batch.Y));
        AssertClose(before, Values(model), 0, "after the refused step");

        first.weight = new Parameter(torch.zeros(6, 3, ScalarType.Float32).t());
        Assert.Contains("it is not contiguous", Assert.Throws<InvalidOperationException>(() => mlp.Evaluate(batch.X, batch.Y)).Message);
        first.weight = new Parameter(torch.zeros(4, 6, ScalarType.Float32));
        Assert.Contains("it is shaped [4, 6], expected [3, 6]", Assert.Throws<InvalidOperationException>(() => mlp.Evaluate(batch.X, batch.Y)).Message);
        first.weight = new Parameter(torch.zeros(3, 6, ScalarType.Float32));
        first.bias = null;
        Assert.Contains("layer 0's bias no longer matches", Assert.Throws<InvalidOperationException>(() => mlp.Evaluate(batch.X, batch.Y)).Message);

        first.weight = new Parameter(torch.full(3, 6, 0.5f, ScalarType.Float32));
        first.bias = new Parameter(torch.zeros(3, ScalarType.Float32));
        mlp.Step(batch.X, batch.Y, null, false, Sgd, true, output);
        Assert.Contains(Values(first.weight), v => v != 0.5f);
    }

    public static TheoryData<string, string> UnsupportedModels() => new()
    {
        { "two activations", "one sigmoid, tanh or relu activation between linear layers, found Tanh" },
        { "no bias", "linear layers with biases, found Linear(3, 2, bias=False)" },
        { "ends with an activation", "ends with a linear layer" },
        { "starts with an activation", "linear layers with biases, found Sigmoid" },
        { "two linear layers in a row", "activation between linear layers, found Linear(3, 2, bias=True)" },
        { "another activation", "activation between linear layers, found GELU" },
        { "widths that do not chain", "layer 1 takes 4 inputs but the layer before gives 3" },
        { "empty", "ends with a linear layer" },
        { "mixed dtypes", "all parameters in float32 or all in float64" },
        { "integer parameters", "all parameters in float32 or all in float64" },
        { "a non-contiguous weight", "layer 0's weight is not contiguous" },
    };

    internal static Sequential Unsupported(string name) => name switch
    {
        "two activations" => nn.Sequential(nn.Linear(6, 3), nn.Sigmoid(), nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2)),
        "no bias" => nn.Sequential(nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 2, hasBias: false)),
        "ends with an activation" => nn.Sequential(nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 2), nn.ReLU()),
        "starts with an activation" => nn.Sequential(nn.Sigmoid(), nn.Linear(6, 2)),
        "two linear layers in a row" => nn.Sequential(nn.Linear(6, 3), nn.Linear(3, 2)),
        "another activation" => nn.Sequential(nn.Linear(6, 3), nn.GELU(), nn.Linear(3, 2)),
        "widths that do not chain" => nn.Sequential(nn.Linear(6, 3), nn.ReLU(), nn.Linear(4, 2)),
        "empty" => nn.Sequential(),
        "mixed dtypes" => nn.Sequential(nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 2, dtype: ScalarType.Float64)),
        "integer parameters" => nn.Sequential(nn.Linear(new Parameter(torch.zeros(2, 6, ScalarType.Int32), requires_grad: false),
            new Parameter(torch.zeros(2, ScalarType.Int32), requires_grad: false))),
        "a non-contiguous weight" => nn.Sequential(nn.Linear(new Parameter(torch.zeros(6, 2).t()), new Parameter(torch.zeros(2)))),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnsupportedModels))]
    public void UnsupportedStructuresAreNamed(string name, string reason)
    {
        using var model = Unsupported(name);
        Assert.Contains(reason, FusedMlp.Unsupported(model));
        Assert.Equal(FusedMlp.Unsupported(model), Assert.Throws<NotSupportedException>(() => Create(model)).Message);
    }

    [Theory]
    [InlineData("6-2")]
    [InlineData("6-3-1")]
    [InlineData("6-5-4-3-2")]
    public void SupportedStructuresHaveNoReason(string widths)
    {
        foreach (var activation in new[] { FusedActivation.Sigmoid, FusedActivation.Tanh, FusedActivation.ReLU })
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                using var model = Mlp(Widths(widths), activation, dtype, seed: 1);
                Assert.Null(FusedMlp.Unsupported(model));
                using var mlp = Create(model, FusedLoss.SigmoidSquaredError);
                Assert.Equal(Widths(widths).Length > 2 ? activation : FusedActivation.Identity, mlp.Activation);
                Assert.True(mlp.UsesBlas, "libtorch_cpu's sgemm_/dgemm_ were not found");
            }
    }
}
