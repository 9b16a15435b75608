using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchLoss.Models;

public enum ModelKind
{
    /// <summary>Softmax regression: one linear layer from the pixels to one logit per class.</summary>
    Linear,
    /// <summary>Logistic regression on a binary task: one linear layer to a single logit.</summary>
    Logistic,
    /// <summary>A multilayer perceptron with the given hidden widths.</summary>
    Mlp,
}

/// <summary>A model description as given on the command line: "linear", "logistic" or "mlp:256,256".</summary>
public sealed record ModelSpec(ModelKind Kind, IReadOnlyList<int> HiddenWidths, HiddenActivation Activation = HiddenActivation.Sigmoid)
{
    public const string Syntax = "linear (softmax regression), logistic (binary task, one output) or mlp:W1,W2,... (hidden widths)";

    public static ModelSpec Parse(string text, HiddenActivation activation = HiddenActivation.Sigmoid)
    {
        var s = text.Trim().ToLowerInvariant();
        if (s is "linear" or "softmax-regression") return new(ModelKind.Linear, [], activation);
        if (s is "logistic" or "logistic-regression") return new(ModelKind.Logistic, [], activation);
        if (s.StartsWith("mlp:", StringComparison.Ordinal))
        {
            var widths = new List<int>();
            foreach (var part in s[4..].Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var w) || w < 1)
                    throw new FormatException($"bad hidden width '{part}' in model '{text}': widths are positive integers");
                widths.Add(w);
            }
            return new(ModelKind.Mlp, widths, activation);
        }
        throw new FormatException($"unknown model '{text}': expected {Syntax}");
    }

    public bool Equals(ModelSpec? other) =>
        other is not null && Kind == other.Kind && Activation == other.Activation && HiddenWidths.SequenceEqual(other.HiddenWidths);

    public override int GetHashCode() => HashCode.Combine(Kind, Activation, string.Join(',', HiddenWidths));

    /// <summary>Output units for a task with <paramref name="classes"/> classes.</summary>
    public int Outputs(int classes) => Kind == ModelKind.Logistic ? 1 : classes;

    /// <summary>Layer widths from input to output, e.g. [784, 256, 256, 10].</summary>
    public IReadOnlyList<int> Widths(int inputs, int classes) => [inputs, .. HiddenWidths, Outputs(classes)];

    /// <summary>Weights and biases of the linear layers between <paramref name="widths"/>.</summary>
    public static long ParameterCount(IReadOnlyList<int> widths)
    {
        long count = 0;
        for (var l = 0; l + 1 < widths.Count; l++) count += (long)widths[l] * widths[l + 1] + widths[l + 1];
        return count;
    }

    public long ParameterCount(int inputs, int classes) => ParameterCount(Widths(inputs, classes));

    /// <summary>The canonical text form, which <see cref="Parse"/> reads back.</summary>
    public string Text => Kind switch
    {
        ModelKind.Mlp => $"mlp:{string.Join(',', HiddenWidths)}",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public string Describe(int inputs, int classes) => Kind switch
    {
        ModelKind.Linear => $"softmax regression {inputs}-{classes}",
        ModelKind.Logistic => $"logistic regression {inputs}-1",
        _ => $"{string.Join('-', Widths(inputs, classes))} {Activation.Name()} MLP",
    };

    /// <summary>
    /// Builds the model as an <c>nn.Sequential</c> whose linear layers are named layer1, layer2, ... and activations
    /// act1, act2, ..., so <c>named_parameters()</c> reads layer1.weight, layer1.bias, ... Initial weights are PyTorch's
    /// default for the current seed (TorchSharp draws them bit-identically); every weight matrix is then multiplied by
    /// <paramref name="initScale"/> (biases unchanged): a large scale starts the units saturated on purpose. Weights are
    /// drawn on the CPU and then moved, so a seed gives the same model on every device.
    /// </summary>
    public Sequential Build(int inputs, int classes, Device? device = null, double initScale = 1, ScalarType dtype = ScalarType.Float32)
    {
        if (!(initScale > 0) || double.IsInfinity(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), initScale, "the init scale must be a positive finite number");
        var widths = Widths(inputs, classes);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i + 1 < widths.Count; i++)
        {
            if (i > 0) layers.Add(($"act{i}", Activation.Create()));
            layers.Add(($"layer{i + 1}", nn.Linear(widths[i], widths[i + 1])));
        }
        var model = nn.Sequential(layers);
        if (initScale != 1)
        {
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in model.named_parameters())
                if (name.EndsWith(".weight", StringComparison.Ordinal)) parameter.mul_(initScale);
        }
        if (dtype != ScalarType.Float32) model.to(dtype);
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }
}
