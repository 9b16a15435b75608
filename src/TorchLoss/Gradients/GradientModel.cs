using TorchSharp;
using static TorchSharp.torch;

namespace TorchLoss.Gradients;

/// <summary>
/// Something that maps inputs x [B, features] and named variables to logits z [B, classes], with its backward
/// pass by hand: given delta = dL/dz, the gradient of L with respect to each variable, without autograd.
/// </summary>
public abstract class GradientModel
{
    /// <summary>Short name, e.g. "linear".</summary>
    public abstract string Name { get; }

    /// <summary>The variables' names, in the order of every list of variables.</summary>
    public abstract IReadOnlyList<string> VariableNames { get; }

    /// <summary>Random starting values (float64, from libtorch's generator) for a batch of <paramref name="batch"/>.</summary>
    public abstract IReadOnlyList<Tensor> Initial(int batch, int features, int classes);

    /// <summary>The logits; differentiable when the variables require gradients.</summary>
    public abstract Tensor Logits(Tensor inputs, IReadOnlyList<Tensor> variables);

    /// <summary>dL/d(variable) for each variable, from <paramref name="delta"/> = dL/dz, by hand.</summary>
    public abstract IReadOnlyList<Tensor> Backward(Tensor inputs, IReadOnlyList<Tensor> variables, Tensor delta);

    /// <summary>The same model as a <see cref="Models.ModelSpec"/> when its variables are the weight and bias pairs of
    /// that spec's linear layers (so a TorchSharp module built from the spec can take them); null otherwise.</summary>
    public virtual Models.ModelSpec? Spec => null;

    /// <summary>The variables with the output layer multiplied by <paramref name="factor"/>, which multiplies the
    /// logits by it: how the check reaches saturated logits.</summary>
    public abstract IReadOnlyList<Tensor> ScaleLogits(IReadOnlyList<Tensor> variables, double factor);

    /// <summary>Normal entries with standard deviation 1/sqrt(fanIn).</summary>
    protected static Tensor Normal(long[] shape, long fanIn)
    {
        using var unit = torch.randn(shape, ScalarType.Float64);
        return unit / Math.Sqrt(fanIn);
    }
}

/// <summary>The logits themselves are the variable: checks dL/dz alone.</summary>
public sealed class DirectLogitsModel : GradientModel
{
    public override string Name => "logits";
    public override IReadOnlyList<string> VariableNames => ["z"];

    public override IReadOnlyList<Tensor> Initial(int batch, int features, int classes) => [torch.randn([batch, classes], ScalarType.Float64)];

    public override Tensor Logits(Tensor inputs, IReadOnlyList<Tensor> variables) => variables[0].alias();

    public override IReadOnlyList<Tensor> Backward(Tensor inputs, IReadOnlyList<Tensor> variables, Tensor delta) => [delta.alias()];

    public override IReadOnlyList<Tensor> ScaleLogits(IReadOnlyList<Tensor> variables, double factor) => [variables[0] * factor];
}

/// <summary>Softmax (or logistic) regression: z = x W^T + b.</summary>
public sealed class LinearClassifierModel : GradientModel
{
    public override string Name => "linear";
    public override IReadOnlyList<string> VariableNames => ["W", "b"];
    public override Models.ModelSpec? Spec => new(Models.ModelKind.Linear, []);

    public override IReadOnlyList<Tensor> Initial(int batch, int features, int classes) =>
        [Normal([classes, features], features), Normal([classes], features)];

    public override Tensor Logits(Tensor inputs, IReadOnlyList<Tensor> variables) => nn.functional.linear(inputs, variables[0], variables[1]);

    public override IReadOnlyList<Tensor> Backward(Tensor inputs, IReadOnlyList<Tensor> variables, Tensor delta) =>
        [LinearLayerGradients.Weight(delta, inputs), LinearLayerGradients.Bias(delta)];

    public override IReadOnlyList<Tensor> ScaleLogits(IReadOnlyList<Tensor> variables, double factor) =>
        [variables[0] * factor, variables[1] * factor];
}
