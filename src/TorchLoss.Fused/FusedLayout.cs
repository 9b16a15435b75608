using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Fused;

/// <summary>What the fused step runs: a <see cref="Sequential"/> of linear layers with biases, one kind of activation
/// (sigmoid, tanh or ReLU) between consecutive ones, all parameters contiguous CPU tensors of one float dtype.</summary>
internal sealed class FusedLayout
{
    FusedLayout(Linear[] layers, FusedActivation activation, ScalarType dtype, long[] widths)
    {
        Layers = layers;
        Activation = activation;
        DType = dtype;
        Widths = widths;
    }

    /// <summary>The linear layers, whose weight and bias are read again at every step.</summary>
    public Linear[] Layers { get; }

    public FusedActivation Activation { get; }

    public ScalarType DType { get; }

    /// <summary>The input width, then each layer's output width.</summary>
    public long[] Widths { get; }

    public int ParameterCount => 2 * Layers.Length;

    /// <summary>The shape parameter <paramref name="index"/> (weight0, bias0, weight1, ...) must have.</summary>
    public long[] ParameterShape(int index) =>
        index % 2 == 0 ? [Widths[index / 2 + 1], Widths[index / 2]] : [Widths[index / 2 + 1]];

    /// <summary>The layout of <paramref name="model"/>, or null with the reason it cannot run fused.</summary>
    public static FusedLayout? Describe(Sequential model, out string? reason)
    {
        var modules = model.children().ToArray();
        var activation = FusedActivation.Identity;
        var layers = new List<Linear>();
        for (var i = 0; i < modules.Length; i++)
        {
            if (i % 2 == 0)
            {
                if (modules[i] is not Linear { bias: not null } linear)
                {
                    reason = $"the fused step needs linear layers with biases, found {Name(modules[i])}";
                    return null;
                }
                if (layers.Count > 0 && linear.in_features != layers[^1].out_features)
                {
                    reason = $"layer {layers.Count} takes {linear.in_features} inputs but the layer before gives {layers[^1].out_features}";
                    return null;
                }
                layers.Add(linear);
                continue;
            }
            FusedActivation? a = modules[i] switch
            {
                Sigmoid => FusedActivation.Sigmoid,
                Tanh => FusedActivation.Tanh,
                ReLU => FusedActivation.ReLU,
                _ => null,
            };
            if (a is null || (activation != FusedActivation.Identity && a != activation))
            {
                reason = $"the fused step needs one sigmoid, tanh or relu activation between linear layers, found {Name(modules[i])}";
                return null;
            }
            activation = a.Value;
        }
        if (modules.Length % 2 == 0)
        {
            reason = "the fused step needs a model that ends with a linear layer";
            return null;
        }

        var dtype = layers[0].weight!.dtype;
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)
            || layers.Any(l => l.weight!.dtype != dtype || l.bias!.dtype != dtype))
        {
            reason = "the fused step needs all parameters in float32 or all in float64";
            return null;
        }
        var widths = new[] { layers[0].in_features }.Concat(layers.Select(l => l.out_features)).ToArray();
        var layout = new FusedLayout(layers.ToArray(), activation, dtype, widths);
        for (var i = 0; i < layout.ParameterCount; i++)
        {
            var mismatch = TensorMemory.Mismatch(layout.Parameter(i), dtype, layout.ParameterShape(i));
            if (mismatch is not null)
            {
                reason = $"the fused step needs contiguous CPU parameters shaped as their layers: {layout.ParameterName(i)} is {mismatch}";
                return null;
            }
        }
        reason = null;
        return layout;
    }

    /// <summary>The current tensor of parameter <paramref name="index"/>: loading a checkpoint may have replaced it.</summary>
    public Tensor? Parameter(int index) => index % 2 == 0 ? Layers[index / 2].weight : Layers[index / 2].bias;

    public string ParameterName(int index) => $"layer {index / 2}'s {(index % 2 == 0 ? "weight" : "bias")}";

    static string Name(nn.Module module) => module is Linear l
        ? $"Linear({l.in_features}, {l.out_features}, bias={l.bias is not null})"
        : module.GetType().Name;
}
